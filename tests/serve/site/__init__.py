"""A small Django project served by ``djust serve`` in the server's own tests."""
