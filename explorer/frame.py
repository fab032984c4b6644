"""Showing a rendered network in the app and hearing which node was clicked.

The page from :mod:`euaigraph.explorer.render` goes into an ``<iframe sandbox="allow-scripts">`` (no
``allow-same-origin``: even a script that slipped into it could not reach the app, its cookies or its origin).
A click inside posts an opaque node id (``n12``) to this small component, which hands it to Python as a
one-rerun trigger; the page maps it back to an IRI on the server.
"""

from __future__ import annotations

import re

import streamlit as st

from .render import Rendered

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let frame = parentElement.querySelector("iframe");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.style.width = "100%";
    frame.style.border = "0";
    parentElement.appendChild(frame);
  }
  frame.setAttribute("title", String(data.title));
  frame.style.height = String(Number(data.height)) + "px";
  if (frame.srcdoc !== data.html) frame.srcdoc = data.html;
  const listener = (event) => {
    const message = event.data;
    if (event.source !== frame.contentWindow || !message || message.euaigraph !== "open") return;
    if (/^n[0-9]+$/.test(String(message.id))) setTriggerValue("clicked", String(message.id));
  };
  window.addEventListener("message", listener);
  return () => window.removeEventListener("message", listener);
}
"""
_OPAQUE = re.compile(r"^n[0-9]+$")
_network = st.components.v2.component("euaigraph_network", js=_JS)


def show(rendered: Rendered, *, key: str, title: str, height: int = 640) -> str | None:
    """Draw the network; return the IRI of the node clicked in this rerun, if any."""
    result = _network(data={"html": rendered.html, "height": height, "title": title}, key=key,
                      height=height + 8, on_clicked_change=lambda: None)
    clicked = getattr(result, "clicked", None) if result is not None else None
    if isinstance(clicked, str) and _OPAQUE.match(clicked):
        return rendered.ids.get(clicked)
    return None
