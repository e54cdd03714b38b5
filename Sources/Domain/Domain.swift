// Domain module.
