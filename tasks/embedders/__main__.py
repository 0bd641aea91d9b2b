"""Build the local embedding models ahead of a run (the Makefile's setup step).

    python -m tasks.embedders [--config configs/chorus.toml] [--backend B ...]

Without ``--backend``: the backend the configuration names (nothing to build for
``sentence-transformers``). Each build is reused when already there (keyed by source and
settings, ``tasks.embedders.builds``); prints one line per backend: its folder and the
build's seconds.
"""

from __future__ import annotations

import argparse
import logging
import time

from chorus.core.settings.embed import BACKENDS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tasks.embedders",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--config", default=None, help="TOML file (default: configs/chorus.toml)")
    parser.add_argument("--backend", action="append", choices=BACKENDS,
                        help="build this backend (repeatable; default: the configured one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    from chorus.core.config import load_config
    from tasks.embedders.builds import build_info
    from tasks.embedders.onnx_int8 import onnx_build_folder
    from tasks.embedders.static import static_build_folder

    settings = load_config(args.config).embed
    for backend in args.backend or [settings.backend]:
        t0 = time.perf_counter()
        if backend == "onnx-int8":
            folder = onnx_build_folder(settings.model, settings.models_dir)
        elif backend == "model2vec":
            folder = static_build_folder(settings.model, settings.models_dir, settings.pca_dims)
        else:
            print(f"{backend}: nothing to build (the model folder is used as installed)")
            continue
        print(f"{backend}: {folder} (built in {build_info(folder)['seconds']} s; "
              f"{time.perf_counter() - t0:.1f} s now)")


if __name__ == "__main__":
    main()
