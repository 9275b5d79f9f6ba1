"""A Redis server of a test's own, and the shared cache on it (as in production: django-redis)."""

import contextlib
import shutil
import socket
import subprocess
import time

import pytest
from django.test import override_settings


@contextlib.contextmanager
def redis_cache(directory, **settings):
    """Run ``redis-server`` on a free port (files in ``directory``) with the default cache on it, and ``settings``."""
    server = shutil.which("redis-server")
    if not server:
        pytest.fail("redis-server is missing: production settings need Redis (.ci/run installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(directory)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        backend = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
        with override_settings(CACHES={"default": backend}, **settings):
            from django.core.cache import cache

            yield cache
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def round_trips(cache):
    """A list that counts the connections ``cache``'s Redis client takes: one per command or pipeline sent."""
    client = cache.client.get_client(write=True)
    taken = []
    original = client.connection_pool.get_connection

    def counting(*args, **kwargs):
        connection = original(*args, **kwargs)
        taken.append(connection)
        return connection

    client.connection_pool.get_connection = counting
    try:
        yield taken
    finally:
        client.connection_pool.get_connection = original
