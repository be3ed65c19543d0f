from __future__ import annotations

import pytest

from gate.versions.found import Unreadable
from gate.versions.yaml_images import image_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("services:\n  db:\n    image: postgres:16\n", [("postgres:16", 3)]),
        ('{"image": "a:1", "x": [{"image": "b:2"}]}\n', [("a:1", 1), ("b:2", 1)]),
        ("- image: a:1\n---\n- image: b:2\n", [("a:1", 1), ("b:2", 3)]),
        ("x: &pg postgres:16\ndb:\n  image: *pg\n", [("postgres:16", 3)]),
        ("base: &b\n  image: a:1\ndb:\n  <<: *b\n", [("a:1", 2)]),
        ('"image": "a:1"\n', [("a:1", 1)]),
        ("image: !!str a:1\n", [("a:1", 1)]),
        ("image: |\n  a:1\n", [("a:1\n", 1)]),
        # Helm charts write the reference's parts; the image is the one they assemble.
        ("image:\n  repository: postgres\n  tag: '9'\n", [("postgres:9", 2)]),
        (
            "image: {registry: r.io, repository: pg, tag: '9', digest: 'sha256:ab', x: {tag: 1}}\n",
            [("r.io/pg:9@sha256:ab", 1)],
        ),
        ("image: {tag: '9'}\n", []),
        ("p: &p {repository: pg, tag: '9'}\ndb:\n  image: *p\n", [("pg:9", 3)]),
        ("p: &p {repository: pg, tag: '9'}\nx: *p\n", []),
    ],
)
def test_values_of_image_keys(text, expected):
    assert image_values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# image: postgres:9\n",
        "x: 1 # {image: postgres:9}\n",
        "notes: |\n  image: postgres:9\n",
        "notes: >\n  image: postgres:9\n",
        "x: 'image: postgres:9'\n",
        "image:\n  - repository: postgres\n    tag: '9'\n",
        "chart:\n  repository: postgres\n  tag: '9'\n",
        "images: postgres:9\n",
        "- image\n- postgres:9\n",
        "postgres:9: image\n",
    ],
)
def test_comments_block_scalars_and_other_keys_hold_no_reference(text):
    assert image_values(text) == []


def test_a_file_that_is_not_yaml_is_unreadable():
    with pytest.raises(Unreadable, match="not valid YAML on line 2"):
        image_values("a: [\nb: ]]\n")


def test_a_billion_laughs_is_not_expanded():
    text = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}]\n" for n in range(20)
    )
    assert image_values(text + "image: p:1\n") == [("p:1", 22)]
