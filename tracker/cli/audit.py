"""The auditor's commands: signed checkpoints, proofs checked offline, the witness, verify, export, import."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from uuid import UUID

import click

from tracker.cli.context import opened_services
from tracker.config import Settings
from tracker.domain.errors import DomainError
from tracker.persistence import holds_a_log


@click.group()
def ledger() -> None:
    """The verifiable log: signed checkpoints and proofs."""


@ledger.command("checkpoint")
def ledger_checkpoint() -> None:
    """Sign the current head of the log (after checking it is consistent with the last one signed)."""
    with opened_services() as services:
        services.projections.catch_up()
        checkpoint = services.signed_log.sign_head()
        from tracker.audit.cosigning import Cosigning, witnesses_from_env

        Cosigning(services.signed_log, witnesses_from_env()).ask_all(checkpoint)  # the command waits for them
        click.echo(services.signed_log.served_note(checkpoint), nl=False)


@ledger.command("head")
def ledger_head() -> None:
    """Print the latest signed checkpoint, and the key to verify it with."""
    with opened_services(project_synchronously=False) as services:
        latest = services.signed_log.latest()
        if latest is None:
            raise DomainError("no checkpoint signed yet: run `tracker ledger checkpoint`")
        click.echo(latest.note, nl=False)
        click.echo(f"# verifier key: {services.signed_log.key.vkey}", err=True)


@ledger.command("key")
def ledger_key() -> None:
    """Print the log's verifier key (to pin) and its fingerprint (printed on every PDF report)."""
    with opened_services(project_synchronously=False) as services:
        key = services.signed_log.key
        click.echo(f"{key.vkey}\nfingerprint: {key.fingerprint}")


@click.command()
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A signed checkpoint kept elsewhere (a witness's, a printed one): the log must still match it.",
)
@click.option("--key", help="Verifier key for the checkpoint files (default: this server's).")
@click.option(
    "--mirror",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Verify an auditor's mirror (tracker mirror) instead: no database, no signing key.",
)
def verify(checkpoints: tuple[Path, ...], key: str | None, mirror: Path | None) -> None:
    """Recompute every leaf from the stored events, the tree and every checkpoint; name the first difference."""
    from tracker.audit.notes import NoteKey
    from tracker.audit.verify import verify_log

    if mirror is not None:
        from tracker.audit.mirror import verify_mirror

        size, root = verify_mirror(mirror, NoteKey.parse(key) if key else None)
        click.echo(
            f"verified mirror: {size} leaves, every kept checkpoint checked, root {base64.b64encode(root).decode()}"
        )
        return
    database_url = Settings.from_env().database_url
    if not holds_a_log(database_url):
        raise click.ClickException(f"no log at {database_url}: is TRACKER_DATABASE_URL right?")
    with opened_services(project_synchronously=False) as services:
        services.projections.catch_up(["merkle_tree"])
        up_to = services.projections.position("merkle_tree")  # later writes (a busy server) wait for the next run
        note_key = NoteKey.parse(key) if key else services.signed_log.key
        notes = [p.read_text() for p in checkpoints]
        size, root = verify_log(services.engine, services.app, notes, note_key, up_to=up_to)
        latest = max((c.size for c in services.signed_log.checkpoints() if c.size <= size), default=None)
        checked = f"checkpoint of {latest} leaves checked" if latest else "no checkpoint yet"
        click.echo(f"verified: {size} leaves ({checked}), root {base64.b64encode(root).decode()}")


@ledger.command("prove")
@click.argument("record_id", type=click.UUID)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def ledger_prove(record_id: UUID, output: Path) -> None:
    """Write one file proving every event of a record (e.g. a commitment) is in the signed log."""
    from tracker.audit.proofs import prove_aggregate

    with opened_services() as services:
        services.projections.catch_up()
        document = prove_aggregate(services.signed_log, services.app, record_id)
    output.write_text(json.dumps(document, indent=1))
    click.echo(f"wrote {output}: {len(document['events'])} events with their inclusion proofs")


@ledger.command("check-proof")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", required=True, help="The log's verifier key, pinned (name+keyid+base64).")
@click.option("--witness", "witnesses", multiple=True, help="A witness's cosigner key (repeat for each).")
@click.option("--quorum", type=click.IntRange(min=0), help="Cosignatures needed (default: one per --witness).")
def ledger_check_proof(file: Path, key: str, witnesses: tuple[str, ...], quorum: int | None) -> None:
    """Verify a proof file offline, with no database: signature, witnesses' cosignatures, every inclusion proof."""
    from tracker.audit.cosign import CosignerKey
    from tracker.audit.notes import NoteKey
    from tracker.audit.proofs import check_proof

    try:
        document = json.loads(file.read_text())
    except ValueError:
        raise DomainError("the proof file is not JSON", "file") from None
    cosigners = [CosignerKey.parse(witness) for witness in witnesses]
    needed = len(cosigners) if quorum is None else quorum
    checkpoint = check_proof(document, NoteKey.parse(key), cosigners, needed)
    cosigned = f", cosigned by {needed} of {len(cosigners)} witnesses" if cosigners else ""
    click.echo(f"verified: {len(document['events'])} events are in the log of {checkpoint.size} (signed{cosigned})")


@click.command()
@click.argument("url")
@click.option("--key", required=True, help="The log's verifier key, pinned from first use or from paper.")
@click.option("--state", required=True, type=click.Path(file_okay=False, path_type=Path))
def witness(url: str, key: str, state: Path) -> None:
    """Check, from your own machine, that the log at URL only grew since you last looked."""
    from tracker.audit.notes import NoteKey
    from tracker.audit.witness import witness as run_witness

    report = run_witness(url, NoteKey.parse(key), state)
    if report.previous_size is None:
        click.echo(f"first checkpoint seen: {report.size} events; kept in {state}")
    else:
        click.echo(f"consistent: the log grew from {report.previous_size} to {report.size} events")


@click.command("mirror")
@click.argument("url")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--key", required=True, help="The log's verifier key, pinned.")
@click.option("--token", required=True, envvar="TRACKER_MIRROR_TOKEN", help="An auditor of every team's API token.")
@click.option("--witness", "witnesses", multiple=True, help="A witness's cosigner key (repeat for each).")
@click.option("--quorum", type=click.IntRange(min=0), help="Cosignatures needed (default: one per --witness).")
def mirror_command(
    url: str, directory: Path, key: str, token: str, witnesses: tuple[str, ...], quorum: int | None
) -> None:
    """Keep a full copy of the log at URL in DIRECTORY: its events and checkpoints, every leaf and root recomputed;
    resumes after an interruption; exits non-zero, keeping the evidence, on any split view."""
    from tracker.audit.cosign import CosignerKey
    from tracker.audit.mirror import mirror
    from tracker.audit.notes import NoteKey

    cosigners = [CosignerKey.parse(witness) for witness in witnesses]
    needed = len(cosigners) if quorum is None else quorum
    report = mirror(url, directory, NoteKey.parse(key), token, cosigners, needed)
    click.echo(f"mirrored: {report.size} events (was {report.previous_size}; {report.fetched} fetched now)")


@click.command("witness-server")
@click.option("--name", required=True, help="The witness's name, a schema-less URL (witness.example.org/w1).")
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Its Ed25519 key (PEM), made on first start.",
)
@click.option("--log", "logs", multiple=True, required=True, help="A log it follows: the log's verifier key.")
@click.option(
    "--state",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where it keeps the last checkpoint it cosigned per log.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5010, show_default=True, type=int)
def witness_server(name: str, key_file: Path, logs: tuple[str, ...], state: Path, host: str, port: int) -> None:
    """Serve a C2SP tlog-witness: POST /add-checkpoint checks consistency with the last checkpoint it cosigned
    for that log and answers its cosignature (not `tracker witness`, which an auditor runs against a log)."""
    from tracker.audit.cosign import Witness
    from tracker.audit.notes import NoteKey
    from tracker.web.witness_server import create_witness_app

    served = Witness(name, key_file, [NoteKey.parse(log) for log in logs], state)
    click.echo(f"# witness key: {served.key.vkey}", err=True)
    create_witness_app(served).run(host=host, port=port)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(file: Path) -> None:
    """Write the whole log and its checkpoints as JSON Lines (no keys: text stays sealed)."""
    from tracker.audit.export import export_log

    with opened_services(project_synchronously=False) as services, file.open("w", encoding="utf-8") as out:
        count = export_log(services, out)
    click.echo(f"exported {count} events to {file}")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="Verifier key for the file's checkpoints (default: the key named in the file).")
def import_command(file: Path, key: str | None) -> None:
    """Load an exported log into an empty database, rebuild everything and check it against its checkpoints."""
    from tracker.audit.export import import_log, read_lines
    from tracker.audit.notes import NoteKey

    with opened_services(project_synchronously=False) as services:
        size, root = import_log(services, read_lines(file), NoteKey.parse(key) if key else None)
    click.echo(f"imported and verified: {size} events, root {base64.b64encode(root).decode()}")
