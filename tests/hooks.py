"""The hook scripts as modules: they are plain Python until cookiecutter renders them."""

from __future__ import annotations

from local_extensions import load_hook, rules

pre_gen = rules()
post_gen = load_hook("post_gen_project")
