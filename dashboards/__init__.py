"""Role home pages: the reads behind each dashboard (selectors) and server-drawn charts."""
