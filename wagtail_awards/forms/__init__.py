"""Forms of the app, one module per stage."""
