"""Token authentication as DRF does it, in one query whose SQL is built once per process."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


def _token_query() -> tuple[str, list, list]:
    qn = connection.ops.quote_name
    user_model = get_user_model()
    token_fields = list(Token._meta.concrete_fields)
    user_fields = list(user_model._meta.concrete_fields)
    converters = []
    for alias, fields in (("t", token_fields), ("u", user_fields)):
        for field in fields:
            column = field.get_col(alias)
            converters.append((column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)))
    columns = ", ".join([f"t.{qn(f.column)}" for f in token_fields] + [f"u.{qn(f.column)}" for f in user_fields])
    sql = (
        f"SELECT {columns} FROM {qn(Token._meta.db_table)} t "
        f"JOIN {qn(user_model._meta.db_table)} u ON u.{qn(user_model._meta.pk.column)} = t.{qn('user_id')} "
        f"WHERE t.{qn(Token._meta.pk.column)} = %s"
    )
    return sql, [token_fields, user_fields], converters


_token_queries: dict[str, tuple[str, list, list]] = {}


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, answered like DRF's class (same errors, same user and token).

    Every API call of a script or of the benchmark authenticates this way; DRF's queryset
    (`select_related("user").get(key=...)`) spends about half a millisecond building its SQL,
    a tenth of a label save.
    """

    def authenticate_credentials(self, key):
        if connection.vendor not in _token_queries:
            _token_queries[connection.vendor] = _token_query()
        sql, (token_fields, user_fields), converters = _token_queries[connection.vendor]
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        values = list(row)
        for position, (column, found) in enumerate(converters):
            for converter in found:
                values[position] = converter(values[position], column, connection)
        split = len(token_fields)
        token = Token.from_db(connection.alias, [f.attname for f in token_fields], values[:split])
        user = get_user_model().from_db(connection.alias, [f.attname for f in user_fields], values[split:])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
