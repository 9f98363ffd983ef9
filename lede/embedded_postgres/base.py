"""Django's PostgreSQL backend for the embedded server: a process's first connection starts the server (`serve`)."""

from pathlib import Path

from django.db.backends.postgresql import base

from lede import embedded_postgres


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        embedded_postgres.serve(Path(self.settings_dict["SERVER_FOLDER"]))
        return super().get_new_connection(conn_params)
