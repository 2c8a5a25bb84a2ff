"""The HTTP face of a witness (C2SP tlog-witness): `POST /add-checkpoint`, answered by tracker.audit.cosign.Witness
with a cosignature, or 400, 403, 404, 409 (with the size it knows, text/x.tlog.size) or 422. A small app of its
own, run by `tracker witness-server` on the witness operator's machine, never inside the log's app."""

from __future__ import annotations

from flask import Flask, Response, request

from tracker.audit.cosign import Witness, WitnessRefused

MAX_REQUEST_BYTES = 64 * 1024  # 63 proof lines and a checkpoint with its signatures fit many times over


def create_witness_app(witness: Witness) -> Flask:
    app = Flask("tracker.witness")
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    @app.post("/add-checkpoint")
    def add_checkpoint() -> Response:
        body = request.get_data(cache=False)
        try:
            cosignature = witness.add_checkpoint(body.decode("utf-8"))
        except UnicodeDecodeError:
            return Response("the request is not UTF-8 text\n", status=400, mimetype="text/plain")
        except WitnessRefused as refused:
            return Response(refused.body, status=refused.status, content_type=refused.content_type)  # no charset added
        return Response(cosignature, content_type="text/plain; charset=utf-8")

    return app
