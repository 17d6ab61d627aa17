"""Documents printed on a form: the parts every copy shares are laid out once, each copy prints only its own fields.

A certificate and its appendix print the same organisation, program, modules and hours for every listener of a
program; only the holder, the grades, the registration number, the dates and the QR code differ. WeasyPrint's
layout of the shared parts (the appendix's table above all) is most of a document's rendering time, so a
template marks each part a copy fills in as a *field*:

- ``<div data-field …>…</div>``: a block whose content differs from copy to copy (no ``<div>`` inside it and no
  ``style`` attribute of its own);
- ``<img data-field …>``: an image that differs (the QR code), with the size the style sheet gives it;
- ``<div data-field="common" …>…</div>``: a block that many copies print alike (an appendix's grades: "credited"
  for every module under most programs' rule), though any copy may differ.

The first copy of a form is rendered whole with its fields hidden (``visibility: hidden``: laid out, never drawn),
which gives the *form*: a PDF of everything shared, and where each field sits. Every copy with the same form
(the same HTML once the fields' contents, the images' sources and the title are left out) then renders only its
fields, each placed where the form's layout put it, inside the same ancestors' classes so that the document's
style sheet styles it as before, and that page is laid over the form's (pikepdf). A field that takes another
height than it had in the form (a name that wraps where the first did not) would move what follows it: such a
copy is printed on a variant of the form made for its heights (up to ``VARIANTS``). A document without fields,
or whose fields cannot be found one for one in its layout, is rendered whole, as before. Either way the PDF
reads the same.

A common field is hidden on the form like the others, but laid out once for each content (and width and
style) as a *piece*, a page of its own laid over the form's where the field sits: an appendix's grades, whatever
mix of them a listener has, cost a copy no layout once a piece of each grade was made.

Forms and pieces are kept in the process (the last ``KEPT_FORMS`` and ``KEPT_PIECES``); a form never holds
anything of the copy it was made from, since hidden text and images are not drawn.

What a template must keep for this to hold: a field's width may not depend on its content (no field in a float
or inline-block without a width, or in a table whose layout is not fixed), and nothing may be printed beside a
field's lines that its text could reach (the QR code of the signature block is kept clear by the margin of the
block's fields). The tests compare copies printed on a form with the same documents rendered whole, page for
page as images.
"""

import collections
import contextlib
import hashlib
import html as html_lib
import io
import re
import threading
from dataclasses import dataclass

import pikepdf

KEPT_FORMS = 32
VARIANTS = 4
KEPT_PIECES = 512

_FIELD = re.compile(
    r'<div data-field(="common")?(?=[\s>])([^>]*)>(.*?)</div>|<img data-field(?=[\s>])([^>]*)>', re.DOTALL
)
_SRC = re.compile(r'\ssrc="[^"]*"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_HEAD_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_FIELD_START = re.compile(r'<(div|img) data-field(="common")?(?=[\s>])')

# Added to the form's head: its fields are laid out but not drawn.
_HIDE_FIELDS = "<style>[data-field] { visibility: hidden !important; }</style>"
# Added to the head of a copy's fields: pages without margins or borders, each field's ancestors reduced to plain
# blocks that only pass on their inherited style (font, colour, alignment) and their classes to the selectors.
_FIELDS_PAGE = (
    "<style>@page { margin: 0; border: 0 none; padding: 0; }"
    " html, body { margin: 0; padding: 0; border: 0 none; background: none; }"
    " .form-page { display: flow-root; break-after: page; }"
    " .form-page:last-child { break-after: auto; }"
    " .form-ancestor { display: block !important; position: static !important; float: none !important;"
    " margin: 0 !important; padding: 0 !important; border: 0 none !important; width: auto !important;"
    " height: auto !important; min-height: 0 !important; background: none !important;"
    " overflow: visible !important; }"
    " [data-field] { display: block !important; position: static !important; float: none !important;"
    " padding: 0 !important; border: 0 none !important; box-sizing: border-box !important; }</style>"
)
_TOLERANCE = 0.01  # CSS px: a field laid out within this of its place in the form fits it
_PX = 0.75  # PDF points in a CSS px
_PIECE_MARGIN = 8  # CSS px around a common field's piece, for what its text draws outside its box
_PIECE_HEIGHT = 1000  # CSS px: the page a piece is laid out on, taller than any field


@dataclass(frozen=True)
class Field:
    page: int
    ancestors: tuple  # (tag, class attribute) of each element between <body> and the field, outermost first
    x: float
    y: float
    width: float
    height: float
    image: bool
    common: bool


@dataclass(frozen=True)
class Form:
    pdf: bytes
    fields: tuple
    pages: tuple  # (width, height) of each page, CSS px
    styles: str  # the <style> elements of the document's head
    places: str  # the style sheet that puts the copy's own fields where the form has them


@dataclass(frozen=True)
class Piece:
    """A common field laid out once for its content, at the top left of a page of its own."""

    pdf: bytes
    width: float  # of its page, CSS px
    height: float  # of the field, CSS px


_forms = collections.OrderedDict()
_pieces = collections.OrderedDict()
_lock = threading.Lock()


def form_key(html):
    """What copies of one form share: the HTML without its fields' contents, images' sources and title."""

    def blank(match):
        if match.group(4) is not None:
            return "<img data-field" + _SRC.sub("", match.group(4)) + ">"
        return f"<div data-field{match.group(1) or ''}{match.group(2)}></div>"

    shared = _TITLE.sub("<title></title>", _FIELD.sub(blank, html), count=1)
    return hashlib.sha256(shared.encode()).hexdigest()


def has_fields(html):
    return _FIELD.search(html) is not None


def print_on_form(html, render):
    """The PDF of ``html`` printed on its form, or None when it must be rendered whole.

    ``render(html, extra_head)`` lays out an HTML document (with ``extra_head`` added to its head) and returns
    WeasyPrint's document. A form is kept in up to ``VARIANTS`` variants, one per height of its fields (a name
    on one line or on two), tried from the one most printed on: a copy whose fields fit none of them makes the
    next (and a variant that the sizes its fields took on another cannot fit is not tried).
    """
    head, _end, body = html.partition("</head>")
    if "<link" in head or "<style" in body:
        return None  # its fields would be laid out without the styles that are not in the head's <style>
    key = form_key(html)
    fields = _FIELD.findall(html)
    with _lock:
        variants = _forms.get(key, [])
        if variants:
            _forms.move_to_end(key)
        tried = [form for form, _hits in sorted(variants, key=lambda variant: -variant[1])]
    if tried and not tried[0].fields:
        return None
    sizes = {}
    for form in tried:
        if not _same_sizes(sizes, form):
            continue
        pdf, sizes = _copy(html, fields, form, render)
        if pdf is not None:
            _count(key, form)
            return pdf
    form = _make_form(html, render)
    with _lock:
        kept = _forms.setdefault(key, [])
        kept[:] = [[form, 0], *kept][: VARIANTS if form.fields else 1]
        _forms.move_to_end(key)
        while len(_forms) > KEPT_FORMS:
            _forms.popitem(last=False)
    if not form.fields or len(fields) != len(form.fields):
        return None
    pdf, _sizes = _copy(html, fields, form, render)
    if pdf is not None:
        _count(key, form)
    return pdf


def _copy(html, fields, form, render):
    """The copy printed on the variant ``form``, or None when a field does not fit it; and the sizes
    {index: (width, height)} its fields took."""
    sizes, pieces = {}, []
    for index, field in enumerate(form.fields):
        if field.common:
            piece = _piece(form, field, fields[index], render)
            sizes[index] = (field.width, piece.height)
            pieces.append((field, piece))
    if not _same_sizes(sizes, form):
        return None, sizes
    own = None
    if any(not field.common for field in form.fields):
        document = render(_fields_html(html, form, fields), "")
        laid = _field_boxes(document)
        sizes.update({index: (field.width, field.height) for index, field in laid.items()})
        if len(document.pages) != len(form.pages) or not all(
            field.common or (index in laid and _same_place(laid[index], field))
            for index, field in enumerate(form.fields)
        ):
            return None, sizes
        own = document.write_pdf(uncompressed_pdf=True)
    return _overlay(form, own, pieces), sizes


def _count(key, form):
    """One more copy printed on ``form``: the variant most printed on is tried first."""
    with _lock:
        for variant in _forms.get(key, ()):
            if variant[0] is form:
                variant[1] += 1


def _same_sizes(sizes, form):
    """Whether the sizes fields took (all or some of them, by index) are those of the variant's fields."""
    return all(
        index < len(form.fields)
        and abs(width - form.fields[index].width) < _TOLERANCE
        and abs(height - form.fields[index].height) < _TOLERANCE
        for index, (width, height) in sizes.items()
    )


def _same_place(here, there):
    return (
        here.page == there.page
        and abs(here.x - there.x) < _TOLERANCE
        and abs(here.y - there.y) < _TOLERANCE
        and abs(here.width - there.width) < _TOLERANCE
        and abs(here.height - there.height) < _TOLERANCE
    )


def _make_form(html, render):
    """The form of ``html``: its PDF with the fields hidden and the place of each field; no fields when they
    cannot be found one for one in the layout."""
    document = render(_numbered(html), _HIDE_FIELDS)
    laid = _field_boxes(document)
    if sorted(laid) != list(range(len(_FIELD.findall(html)))):
        return Form(pdf=b"", fields=(), pages=(), styles="", places="")
    fields = tuple(laid[index] for index in range(len(laid)))
    pages = tuple((page.width, page.height) for page in document.pages)
    return Form(
        pdf=document.write_pdf(),
        fields=fields,
        pages=pages,
        styles="".join(_HEAD_STYLE.findall(html.partition("</head>")[0])),
        places=_places(fields, pages),
    )


def _numbered(html):
    """``html`` with each field marked by its number, in the order of the HTML (and a common one as such)."""
    count = iter(range(1_000_000))

    def number(match):
        common = " data-common" if match.group(2) else ""
        return f'<{match.group(1)} data-field="{next(count)}"{common}'

    return _FIELD_START.sub(number, html)


def _field_boxes(document):
    """{number: Field} of the fields of a laid-out document: each field's first box."""
    found = {}
    for number, page in enumerate(document.pages):
        for box, ancestors in _walk(page._page_box, ()):
            element = box.element
            index = element.get("data-field") if element is not None else None
            if index is None or int(index) in found:
                continue
            found[int(index)] = Field(
                page=number,
                ancestors=tuple((tag, classes) for tag, classes, _id in ancestors),
                x=box.border_box_x(),
                y=box.border_box_y(),
                width=box.border_width(),
                height=box.border_height(),
                image=element.tag == "img",
                common=element.get("data-common") is not None,
            )
    return found


def _walk(box, ancestors):
    """Every box under ``box`` with the (tag, class, identity) of the elements around it, below <body>."""
    for child in getattr(box, "children", ()):
        yield child, ancestors
        element = child.element
        inner = ancestors
        if (
            element is not None
            and element.tag not in ("html", "body")
            and element.get("data-field") is None
            and (not ancestors or ancestors[-1][2] != id(element))
        ):
            inner = (*ancestors, (element.tag, element.get("class") or "", id(element)))
        yield from _walk(child, inner)


def _element(index, field, found):
    """The HTML of a field of a copy (``found``: its match), inside its ancestors' tags and classes."""
    _common, div_attrs, content, img_attrs = found
    if img_attrs:
        return f'<img data-field="{index}"{img_attrs}>'
    return f'<div data-field="{index}"{div_attrs}>{content}</div>'


def _opening(ancestors):
    return "".join(
        f'<{tag} class="{html_lib.escape(f"{classes} form-ancestor".strip(), quote=True)}">'
        for tag, classes in ancestors
    )


def _closing(ancestors):
    return "".join(f"</{tag}>" for tag, _classes in reversed(ancestors))


def _fields_html(html, form, fields):
    """A document of the copy's own fields (not the common ones), each where the form has it, on pages of the
    form's size.

    Fields are given in the order ``_places`` moves them in (by page, then from the top), inside their
    ancestors' tags and classes; consecutive fields whose ancestors read the same share them."""
    title = _TITLE.search(html)
    body = []
    for number in range(len(form.pages)):
        body.append('<div class="form-page">')
        open_tags = ()
        for index, field in _on_page(form.fields, number):
            shared = 0
            while shared < min(len(open_tags), len(field.ancestors)) and open_tags[shared] == field.ancestors[shared]:
                shared += 1
            body.append(_closing(open_tags[shared:]) + _opening(field.ancestors[shared:]))
            body.append(_element(index, field, fields[index]))
            open_tags = field.ancestors
        body.append(_closing(open_tags) + "</div>")
    return (
        f'<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title>{title.group(1) if title else ""}'
        f"</title>{form.styles}{_FIELDS_PAGE}{form.places}</head><body>{''.join(body)}</body></html>"
    )


def _on_page(fields, number):
    """The (index, field) of the copy's own fields on page ``number``, from the top, then from the left."""
    return [
        (index, field)
        for _y, _x, index, field in sorted(
            (field.y, field.x, index, field)
            for index, field in enumerate(fields)
            if field.page == number and not field.common
        )
    ]


def _places(fields, pages):
    """The style sheet that puts each of the copy's own fields where the form has it: the fields of a page
    follow one another as blocks, each moved from the end of the one before to its own place by its margins
    (negative for a field beside the one before); a page is one block of the page's height."""
    rules = [f".form-page {{ height: {pages[0][1] - 1!r}px; }}" if pages else ""]
    for number in range(len(pages)):
        bottom = 0.0
        for index, field in _on_page(fields, number):
            height = f" height: {field.height!r}px;" if field.image else ""
            rules.append(
                f'[data-field="{index}"] {{ margin: {field.y - bottom!r}px 0 0 {field.x!r}px !important;'
                f" width: {field.width!r}px !important;{height} }}"
            )
            bottom = field.y + field.height
    return "<style>" + " ".join(rules) + "</style>"


def _piece(form, field, found, render):
    """The piece of a common field with this content, laid out once for all forms and copies that print it
    in the same style and width."""
    key = (form.styles, field.ancestors, found[1], round(field.width, 3), found[2])
    with _lock:
        piece = _pieces.get(key)
        if piece is not None:
            _pieces.move_to_end(key)
            return piece
    width = field.width + 2 * _PIECE_MARGIN
    place = (
        f"<style>@page {{ size: {width!r}px {_PIECE_HEIGHT}px; }} [data-field] {{ margin: {_PIECE_MARGIN}px 0 0"
        f" {_PIECE_MARGIN}px !important; width: {field.width!r}px !important; }}</style>"
    )
    document = render(
        '<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title></title>'
        f"{form.styles}{_FIELDS_PAGE}{place}</head><body>"
        f"{_opening(field.ancestors)}{_element(0, field, found)}{_closing(field.ancestors)}</body></html>",
        "",
    )
    laid = _field_boxes(document)
    height = laid[0].height if len(document.pages) == 1 and 0 in laid else -1.0
    piece = Piece(pdf=document.write_pdf(uncompressed_pdf=True), width=width, height=height)
    with _lock:
        _pieces[key] = piece
        while len(_pieces) > KEPT_PIECES:
            _pieces.popitem(last=False)
    return piece


def _overlay(form, own, pieces):
    """The form's pages with the copy's own fields' pages and its common fields' pieces laid over them, and the
    copy's title and dates."""
    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(form.pdf)))
        if own is not None:
            fields = stack.enter_context(pikepdf.open(io.BytesIO(own)))
            for page, over in zip(pdf.pages, fields.pages, strict=True):
                page.add_overlay(over)
            for name in ("/Title", "/CreationDate", "/ModDate"):
                if name in fields.docinfo:
                    pdf.docinfo[name] = fields.docinfo[name]
        copied = {}
        for field, piece in pieces:
            if id(piece) not in copied:
                source = stack.enter_context(pikepdf.open(io.BytesIO(piece.pdf)))
                copied[id(piece)] = pdf.copy_foreign(source.pages[0].as_form_xobject())
            top = (form.pages[field.page][1] - field.y + _PIECE_MARGIN) * _PX
            left = (field.x - _PIECE_MARGIN) * _PX
            rect = pikepdf.Rectangle(left, top - _PIECE_HEIGHT * _PX, left + piece.width * _PX, top)
            pdf.pages[field.page].add_overlay(copied[id(piece)], rect)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def kept():
    """{form key: number of variants} of the forms this process keeps."""
    with _lock:
        return {key: len(variants) for key, variants in _forms.items()}


def forget():
    """Drop every form and piece kept (a template's change is a new key anyway; this is for a clean start)."""
    with _lock:
        _forms.clear()
        _pieces.clear()
