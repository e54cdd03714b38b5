// Daemon module.
