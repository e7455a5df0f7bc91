// Form helpers (no framework, no inline script): live word counts against the year's minimum
// on the rancang bangun sections, and the meaning of each parameter of the chosen indicator.
(function () {
  "use strict";

  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function wordCounters(form) {
    var areas = form.querySelectorAll("textarea[data-min-words]");
    if (!areas.length) return;
    var totalMin = parseInt(form.getAttribute("data-min-words") || "0", 10);
    var total = document.createElement("p");
    total.className = "pi-wordcount pi-wordcount--total";
    total.setAttribute("aria-live", "polite");
    areas[areas.length - 1].closest(".pi-field").after(total);
    var counters = [];
    areas.forEach(function (area) {
      var counter = document.createElement("div");
      counter.className = "pi-wordcount";
      counter.setAttribute("aria-live", "polite");
      area.after(counter);
      counters.push([area, counter, parseInt(area.getAttribute("data-min-words"), 10) || 0]);
      area.addEventListener("input", update);
    });
    function update() {
      var sum = 0;
      counters.forEach(function (entry) {
        var n = words(entry[0].value);
        sum += n;
        entry[1].textContent = n + " / " + entry[2] + " kata";
        entry[1].classList.toggle("pi-wordcount--short", n < entry[2]);
      });
      total.textContent = "Rancang bangun: " + sum + " / " + totalMin + " kata";
      total.classList.toggle("pi-wordcount--short", sum < totalMin);
    }
    update();
  }

  function parameterMeanings() {
    var data = document.getElementById("evidence-meanings");
    var indicator = document.querySelector("select[data-parameters]");
    var parameter = document.getElementById("id_parameter");
    if (!data || !indicator || !parameter) return;
    var meanings = JSON.parse(data.textContent);
    var link = document.getElementById("id_link");
    function update() {
      var chosen = meanings[indicator.value];
      Array.prototype.forEach.call(parameter.options, function (option, index) {
        var n = option.value;
        option.textContent = chosen && chosen.parameters[index] ? n + ": " + chosen.parameters[index] : n;
      });
      if (link) link.closest(".pi-field").hidden = !(chosen && chosen.link);
    }
    indicator.addEventListener("change", update);
    update();
  }

  // "Urusan terkait": a checkbox list with a search box that never offers the main urusan
  // (the one chosen in the select named by data-exclude-from; the form refuses it too).
  function relatedUrusan(list) {
    var first = list.querySelector("input[data-exclude-from]");
    var main = first && document.getElementById(first.getAttribute("data-exclude-from"));
    var search = document.createElement("input");
    search.type = "search";
    search.className = "pi-multi-search";
    search.id = list.id + "_search";
    var field = list.closest(".pi-field");
    var legend = field && field.querySelector("legend");
    var labels = document.getElementById("pi-form-labels");
    search.placeholder = (labels && labels.getAttribute("data-search")) || "Cari urusan…";
    search.setAttribute("aria-label", search.placeholder + (legend ? " (" + legend.textContent.trim() + ")" : ""));
    search.setAttribute("aria-controls", list.id);
    list.before(search);
    var rows = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]")).map(function (box) {
      return [box, box.closest("label").parentNode.tagName === "DIV" ? box.closest("label").parentNode : box.closest("label")];
    });
    function update() {
      var q = search.value.trim().toLowerCase();
      rows.forEach(function (row) {
        var isMain = main && main.value && row[0].value === main.value;
        if (isMain) row[0].checked = false;
        var matches = !q || row[1].textContent.toLowerCase().indexOf(q) >= 0 || row[0].checked;
        row[1].hidden = isMain || !matches;
      });
    }
    search.addEventListener("input", update);
    if (main) main.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("form.pi-form").forEach(wordCounters);
  document.querySelectorAll("div.pi-multi").forEach(relatedUrusan);
  parameterMeanings();
})();
