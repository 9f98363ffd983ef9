"""Pieces every benchmark needs: a fresh PostgreSQL database and a free loopback port."""

import socket

import psycopg2


def recreate_database(server: str, name: str) -> None:
    """Drop and create database `name` on `server` (a postgres:// URL without a database)."""
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
