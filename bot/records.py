"""The commands that show what the bot holds: orders with their history, and the messages
it could not deliver or handle."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def orders(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only orders with this status.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List orders with status, history and acceptances."""
    from bot.cli import open_database
    from handlers.orders.records import order_records
    from storage.db import transaction
    from storage.models import OrderStatus

    if status is not None and status not in {s.value for s in OrderStatus}:
        typer.echo(f"unknown status {status!r}; one of: "
                   + ", ".join(s.value for s in OrderStatus), err=True)
        raise typer.Exit(2)
    with transaction(open_database(ctx.obj)) as session:
        records = order_records(session, status)
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for record in records:
        typer.echo(f"#{record['id']} {record['status']} {record['duty'] or '-'} "
                   f"{len(record['acceptances'])}/{record['capacity']} {record['text'][:40]}")


def order(
    ctx: typer.Context,
    order_id: int,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one order with its history."""
    from bot.cli import open_database
    from handlers.orders.records import order_record
    from storage.db import transaction
    from storage.models import Order

    with transaction(open_database(ctx.obj)) as session:
        found = session.get(Order, order_id) if 0 < order_id < 2**31 else None
        if found is None:
            typer.echo(f"no order #{order_id}", err=True)
            raise typer.Exit(1)
        record = order_record(session, found)
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    typer.echo(f"#{record['id']} {record['status']} {record['duty'] or '-'} {record['text']}")
    for row in record["history"]:
        typer.echo(f"  {row['at']} {row['actor']}: {row['from'] or '—'} → {row['to']} "
                   f"{row['reason']}")


def undelivered(
    ctx: typer.Context,
    inbound: Annotated[bool, typer.Option(
        "--inbound", help="Messages received but not handled after every retry.")] = False,
) -> None:
    """List messages not delivered: parked for WeChat's 48 h window, or failed for good."""
    from bot.cli import open_database
    if inbound:
        from bot.journal import parked_lines

        lines = parked_lines(open_database(ctx.obj))
        typer.echo("\n".join(lines) if lines else "every message received was handled")
        return
    from bot.undelivered import undelivered_lines

    lines = undelivered_lines(open_database(ctx.obj))
    typer.echo("\n".join(lines) if lines else "every message was delivered")
