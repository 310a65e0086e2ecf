from dossiers.champs.base import TypeChamp

_TYPES: dict[str, TypeChamp] = {}


def register(cls: type[TypeChamp]) -> type[TypeChamp]:
    """Class decorator: `@register class Texte(TypeChamp): code = "texte"`."""
    if cls.code in _TYPES:
        raise ValueError(f"Field type {cls.code!r} is already registered")
    _TYPES[cls.code] = cls()
    return cls


def get(code: str) -> TypeChamp:
    _load_builtin()
    return _TYPES[code]


def types() -> dict[str, TypeChamp]:
    _load_builtin()
    return dict(_TYPES)


_loaded = False


def _load_builtin() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        import dossiers.champs.natifs  # noqa: F401  (registers the built-in types)
