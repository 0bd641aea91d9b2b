"""The sentence-transformers model exported to ONNX, int8-quantized, run by onnxruntime.

Build (once, at first use; ``tasks.embedders.builds``): the source folder's transformer is
exported with ``torch.onnx.export(dynamo=False, opset_version=17)`` (inputs
``input_ids``, ``attention_mask``, ``token_type_ids`` of shape (batch, tokens); output
``last_hidden_state`` (batch, tokens, d)), then quantized with onnxruntime's dynamic int8
quantization, per channel (per-tensor loses too much: cosine to fp32 about 0.94 against
>= 0.98 per channel on MiniLM). The build folder holds ``model.int8.onnx`` and the source's
``tokenizer.json``; nothing else of the source is read at inference.

Inference: the ``tokenizers`` fast tokenizer (truncation at ``max_seq_length``), one text
per forward pass, mean pooling and L2 normalisation: the sentence-transformers MiniLM
pipeline (Transformer -> Pooling(mean) -> Normalize), reproduced in numpy. One text at a
time because dynamic quantization scales each activation tensor by its own range: in a
padded batch a text's vector depends on its neighbours (cosine 0.96-0.99 to the same text
alone, measured), which would make vectors depend on chunking and batch order. Alone, a
text always gets the same vector; chat text runs as fast as batched, short queries about
half as fast (measured in bench/results/embedders.md).
"""

from __future__ import annotations

import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np

from chorus.core.errors import ChorusError
from tasks.embedders.builds import ensure_build
from tasks.embedders.sentence_transformer import resolve_model_path

log = logging.getLogger(__name__)

KIND = "onnx-int8"
ONNX_FILE = "model.int8.onnx"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
INSTALL_HINT = "the onnx-int8 embedder needs onnx and onnxruntime: pip install 'chorus[onnx]'"


def build_onnx_int8(source: Path, out: Path) -> None:
    """Export ``source``'s transformer to ONNX and quantize it into ``out``."""
    try:
        import onnx  # noqa: F401 - needed by the exporter and the quantizer
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        raise ChorusError(INSTALL_HINT) from None
    import torch
    from transformers import AutoModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    bert = AutoModel.from_pretrained(str(source), local_files_only=True).eval()

    class Hidden(torch.nn.Module):  # positional inputs, one output: what ONNX sees
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    sample = (torch.ones((2, 8), dtype=torch.long), torch.ones((2, 8), dtype=torch.long),
              torch.zeros((2, 8), dtype=torch.long))
    fp32 = out / "model.fp32.onnx"
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with torch.no_grad():
        torch.onnx.export(Hidden().eval(), sample, str(fp32), input_names=list(INPUTS),
                          output_names=["last_hidden_state"],
                          dynamic_axes={**axes, "last_hidden_state": {0: "batch", 1: "tokens"}},
                          opset_version=OPSET, dynamo=False)
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))  # the quantizer logs each tensor at INFO
    try:
        quantize_dynamic(str(fp32), str(out / ONNX_FILE), per_channel=True,
                         weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    fp32.unlink()
    shutil.copy2(source / "tokenizer.json", out / "tokenizer.json")


def onnx_build_folder(model: str, models_dir: str) -> Path:
    """The build folder for ``model`` (a folder or package name), built if missing."""
    source = resolve_model_path(model)
    settings = {"opset": OPSET, "quantization": "dynamic int8 per-channel (QInt8)"}
    return ensure_build(KIND, source, settings, models_dir,
                        lambda out: build_onnx_int8(source, out))


class OnnxInt8Embedder:
    """MiniLM (or any BERT-style sentence-transformers folder) as int8 ONNX.

    Args:
        model: folder path or package name of the source (see ``EmbedSettings.model``).
        models_dir: where builds live (``EmbedSettings.models_dir``).
        max_seq_length: tokens kept per text.
        threads: onnxruntime intra-op threads (0: ``env_threads()``, the process's
            ``OMP_NUM_THREADS`` budget, else onnxruntime's default of one per core).
    """

    def __init__(self, model: str, models_dir: str = "warehouse/models",
                 max_seq_length: int = 256, threads: int = 0) -> None:
        self.model = model
        self.models_dir = models_dir
        self.max_seq_length = max_seq_length
        self.threads = threads

    @property
    def model_id(self) -> str:
        return f"{Path(str(self.model)).name}:{self.max_seq_length}:{KIND}"

    @property
    def session_threads(self) -> int:
        """Intra-op threads the session gets (0: onnxruntime's default)."""
        return self.threads or env_threads()

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), d) float32 unit rows."""
        folder = onnx_build_folder(self.model, self.models_dir)
        session, tokenizer = _load(str(folder), self.max_seq_length, self.session_threads)
        dim = int(session.get_outputs()[0].shape[-1])
        out = np.zeros((len(texts), dim), dtype=np.float32)
        if not texts:
            return out
        for row, encoding in enumerate(tokenizer.encode_batch(list(texts))):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.asarray([encoding.type_ids], dtype=np.int64)}
            out[row] = session.run(None, feed)[0][0].mean(axis=0)  # no padding: a plain mean
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.ascontiguousarray(out / np.maximum(norms, 1e-12), dtype=np.float32)


def env_threads() -> int:
    """The process's thread budget from ``OMP_NUM_THREADS`` (0: unset or not a positive
    integer). onnxruntime does not read it, torch does: a pool worker
    (``flows.runners.worker_init``) and a Dask worker (its nanny sets 1) carry their
    budget there, and onnxruntime's own default (one thread per core in every worker
    process) would oversubscribe the cores."""
    try:
        value = int(os.environ.get("OMP_NUM_THREADS", "0"))
    except ValueError:
        return 0
    return max(value, 0)


@lru_cache(maxsize=2)
def _load(folder: str, max_seq_length: int, threads: int):
    try:
        import onnxruntime as ort
    except ImportError:
        raise ChorusError(INSTALL_HINT) from None
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(Path(folder) / ONNX_FILE), options,
                                   providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_seq_length)
    return session, tokenizer
