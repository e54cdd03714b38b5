// Matching module.
