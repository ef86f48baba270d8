"""The host-free contract suite: each test is written once against the small adapter interface
of ``tests/session/adapters.py`` and runs against every host in ``adapters.HOSTS`` (the bare
``LiveSession``, Channels' ``LiveViewConsumer``, the HTTP fallback). A new host (the actor host)
joins by subclassing ``Host``/``Conn``, stating in ``lacks`` what it cannot do by its nature,
and adding itself to ``HOSTS``."""
