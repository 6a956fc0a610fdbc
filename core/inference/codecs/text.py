"""Texts in, a class per text out, for models the text_classification recipe makes
(core.training.recipes.text_classification).

Inputs: {"texts": a text or a list of them}. Answer per text: {"label", "score", "top":
[{"label", "score"}, ...]} (the `top_k` most probable classes, 3 unless the deployment's
config says); a single text's answer at the top level, a list's under "results". Every
bad text is named as texts[i]; an empty or whitespace-only text is refused rather than
scored as nothing."""
import numpy as np

from core.platform.rest.exceptions import FieldErrors

from . import Codec, Decoded, Encoded, json_digest

MAX_TEXTS = 1000
MAX_TEXT_CHARS = 20_000  # what a text dataset takes per record (core.data.lib.texts)
TOP_K = 3


class TextFieldErrors(FieldErrors):
    """Per-text errors, keyed 'texts[i]' (or 'texts')."""


class TextClassificationCodec(Codec):
    task = "text_classification"

    def encode(self, inputs, loaded, config):
        texts = inputs.get("texts") if isinstance(inputs, dict) else None
        single = isinstance(texts, str)
        batch = [texts] if single else texts
        if not isinstance(batch, list) or not batch:
            raise TextFieldErrors({"texts": ["send a text or a list of texts: {\"texts\": [\"...\"]}"]})
        if len(batch) > MAX_TEXTS:
            raise TextFieldErrors({"texts": [f"{len(batch)} texts; at most {MAX_TEXTS} per call"]})
        errors = {}
        for i, text in enumerate(batch):
            where = "texts" if single else f"texts[{i}]"
            if not isinstance(text, str):
                errors[where] = [f"expected a text, got {type(text).__name__}"]
            elif not text.strip():
                errors[where] = ["the text is empty"]
            elif len(text) > MAX_TEXT_CHARS:
                errors[where] = [f"{len(text)} characters; at most {MAX_TEXT_CHARS} per text"]
        if errors:
            raise TextFieldErrors(errors)
        return Encoded({"texts": np.asarray(batch, dtype=object)}, json_digest(batch), {"single": single})

    def decode(self, outputs, loaded, encoded, config):
        try:
            top_k = int((config or {}).get("top_k", TOP_K))
        except (TypeError, ValueError):
            top_k = TOP_K
        labels = loaded.manifest["labels"]
        probs = np.asarray(outputs["probabilities"], dtype=np.float64)
        if probs.ndim != 2 or probs.shape[1] != len(labels):
            raise RuntimeError(f"the model gave scores of shape {probs.shape} for {len(labels)} classes")
        keep = max(1, min(top_k, len(labels)))
        results = []
        for row in probs:
            order = np.argsort(-row, kind="stable")[:keep]
            top = [{"label": labels[i], "score": round(float(row[i]), 6)} for i in order]
            results.append({"label": top[0]["label"], "score": top[0]["score"], "top": top})
        answer = dict(results[0]) if encoded.context["single"] else {"results": results}
        # The record keeps each text's class and score, not its runners-up.
        kept = [{"label": r["label"], "score": r["score"]} for r in results]
        return Decoded(answer, {"results": kept, "count": len(results)})
