"""The service: the application factory (`main`), its platform and the example domain."""
