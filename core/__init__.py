"""What every app shares and no app owns: the service errors."""
