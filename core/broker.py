"""The broker of the embedded mode: Celery messages in a SQLite file, safe for many processes.

``make run`` needs no Redis, yet runs a web server, a worker and the beat scheduler side by side
(and tests add producers). Kombu's folder transport races there: beat writes a message file while
the worker reads it and the worker dies on half a JSON document. This transport is kombu's
SQLAlchemy transport on a SQLite file (``CELERY_BROKER_URL=embedded+sqlite:///var/celery/broker.sqlite3``)
with what several processes need:

* WAL journal and a busy timeout: writers wait for each other instead of failing;
* a message that cannot be stored raises (kombu's transport rolls back and drops it silently),
  so the outbox keeps it for the relay;
* a message is deleted when a worker takes it (kombu's transport only hides it, forever);
* two processes creating the tables or a queue at the same moment both carry on.

``cqm_portal/celery.py`` registers it as the ``embedded`` transport.
"""

from __future__ import annotations

from json import dumps, loads
from queue import Empty

from kombu.transport import sqlalchemy as kombu_sqla
from kombu.utils.encoding import bytes_to_str
from sqlalchemy import create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError

TRANSPORT_ALIAS = "embedded"
BUSY_TIMEOUT_SECONDS = 30


class Channel(kombu_sqla.Channel):
    def _engine_from_config(self):
        engine = create_engine(
            self.connection.client.hostname, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}
        )
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _begin_immediate)
        return engine

    def _open(self):
        try:
            return super()._open()
        except OperationalError:  # another process created the tables meanwhile
            return super()._open()

    def _get_or_create(self, queue):
        try:
            return super()._get_or_create(queue)
        except IntegrityError:  # another process created the queue meanwhile
            self.session.rollback()
            return self.session.query(self.queue_cls).filter(self.queue_cls.name == queue).one()

    def _put(self, queue, payload, **kwargs):
        session = self.session
        queue_row = self._get_or_create(queue)
        try:
            session.add(self.message_cls(dumps(payload), queue_row))
            session.commit()
        except OperationalError:
            session.rollback()
            raise

    def _get(self, queue):
        session = self.session
        queue_row = self._get_or_create(queue)
        try:
            message = (
                session.query(self.message_cls)
                .filter(self.message_cls.queue_id == queue_row.id)
                .order_by(self.message_cls.sent_at, self.message_cls.id)
                .limit(1)
                .first()
            )
            if message is None:
                raise Empty()
            payload = loads(bytes_to_str(message.payload))
            session.delete(message)
            return payload
        finally:
            session.commit()


def _on_connect(dbapi_connection, _record) -> None:
    # SQLAlchemy's recipe for pysqlite: the driver must not open transactions itself, so that
    # ``_begin_immediate`` takes the write lock at the start of each one (no lock upgrades).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Transport(kombu_sqla.Transport):
    Channel = Channel
