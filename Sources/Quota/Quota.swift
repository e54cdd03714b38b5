// Quota module.
