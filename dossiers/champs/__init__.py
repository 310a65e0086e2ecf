"""Field types of the form factory (F4, F13): one class per type, in one registry.

A type turns a field definition into a Django form field for a view, cleans and validates
what the usager typed, stores it as JSON, displays it in French, exports it to a CSV
column and hands it to document templates. Modules add types (appointment slot, API
Particulier lookup) with `register` without editing this package.
"""

from dossiers.champs.base import Contexte, Definition, TypeChamp
from dossiers.champs.registry import get, register, types

__all__ = ["Contexte", "Definition", "TypeChamp", "get", "register", "types"]
