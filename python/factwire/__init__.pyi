from typing import Any, Iterable, Iterator, Optional, Sequence, Union

__version__: str

class Error(ValueError):
    """A rule folder that cannot be loaded; the message names file:line."""

Record = dict[str, Any]
Article = Union[str, dict[str, Any]]

class Pipeline:
    def __init__(self, rules: Optional[str] = None, types: Optional[Sequence[str]] = None) -> None: ...
    @property
    def rules_version(self) -> str: ...
    @property
    def rules_dir(self) -> str: ...
    def extract(
        self,
        text: str,
        *,
        id: Optional[str] = None,
        published: Optional[str] = None,
        lang: Optional[str] = None,
        title: Optional[str] = None,
        url: Optional[str] = None,
    ) -> Record: ...
    def extract_many(self, articles: Iterable[Article], threads: int = 0, batch: Optional[int] = None) -> Iterator[Record]: ...
    def text(self, page: Union[bytes, str], *, html: Optional[bool] = None, name: str = "python") -> dict[str, Any]: ...

def to_rows(records: Iterable[Record]) -> list[dict[str, Any]]: ...
