"""Entity: every fact about one node, grouped by property, each with its source, retrieval date and confidence;
disagreements between sources side by side; links to its neighbours."""

import pandas as pd
import streamlit as st

from euaigraph.explorer import aiact, components, data, precomputed, state
from euaigraph.graph import UnsafeIriError, labels

ctx = state.context()
st.title("Entity")
components.require_graph(ctx)
net = precomputed.entity_network(ctx)
options = precomputed.node_labels(ctx)
asked = st.query_params.get("iri")
if asked and asked not in options:
    options = {asked: asked, **options}
iri = components.choose_iri("Entity", options, param="iri", placeholder="Choose a model, organisation, data set…")
with st.expander("Find by a name in any language", expanded=not iri and bool(st.query_params.get("find"))):
    asked_name = st.text_input("Name contains", key="find", bind="query-params",
                               placeholder="Allemagne, Deutschland, Γερμανία, EuroLLM…")
    if asked_name.strip():
        try:
            matches = labels.find_by_label(lambda q, p: precomputed.answer(ctx, q, p), asked_name)
        except (ValueError, *components.ERRORS) as exc:
            components.show_error(exc)
            matches = []
        st.caption(f"{len(matches)} {'name matches' if len(matches) == 1 else 'names match'} "
                   f"(saved question `{labels.SEARCH}`).")
        for m in matches[:50]:
            components.entity_link(m.entity, f"{m.label} ({m.kind}): {m.matched} [{m.language or 'no language'}]")
if not iri:
    st.info("Choose an entity above, or click a node in the Graph view.")
    st.stop()
try:
    entity = precomputed.entity(ctx, iri)
except UnsafeIriError as exc:
    st.error(f"Not an IRI this graph can hold: {components.plain(exc)}")
    st.stop()
if entity is None:
    st.warning("The graph says nothing about this IRI.")
    st.code(iri, language=None)
    st.stop()

attrs = net.nodes[iri] if iri in net else {}
st.header(components.plain(entity.label), anchor=False)
facts_line = (attrs.get("kind"), attrs.get("country") and f"seat {attrs['country']}",
              attrs.get("licence") and f"licence {attrs['licence']}")
st.caption(" · ".join(components.plain(x) for x in facts_line if x))
st.code(iri, language=None)


def shown(value) -> str:
    return entity.labels.get(str(value)) or components.display(value)


conflicts = entity.disagreements()
if conflicts:
    st.subheader("Where the sources disagree")
    for prop, per_source in conflicts.items():
        st.markdown(f"**{components.plain(data.property_label(prop))}**")
        st.dataframe(pd.DataFrame([{s: "; ".join(shown(v) for v in values) for s, values in per_source.items()}]),
                     hide_index=True, width="stretch")

st.subheader("Facts")
st.caption("Every statement about this entity, grouped by property, with the source that made it, when that "
           "source was retrieved, the confidence it gives and the pages that support it.")
groups = {prop: [f for f in facts if not f.incoming] for prop, facts in entity.by_property().items()}
st.dataframe(pd.DataFrame([
    {"property": data.property_label(prop), "value": shown(f.value), "source": f.source,
     "retrieved": (f.retrieved or "")[:10], "confidence": f.confidence or "", "accessed": f.accessed or "",
     "evidence": " ".join(f.urls)}
    for prop, facts in sorted(groups.items(), key=lambda item: data.property_label(item[0])) for f in facts]),
    hide_index=True, width="stretch", height=min(36 * (1 + sum(map(len, groups.values()))) + 4, 640))

if attrs.get("kind") == "model":
    st.subheader("AI Act indicators")
    aiact.panel_section(ctx, iri)

st.subheader("Neighbours")
outgoing = sorted({(data.property_label(f.property), str(f.value)) for f in entity.facts
                   if not f.incoming and str(f.value) in options and str(f.value) != iri})
incoming = sorted({(data.property_label(f.property), str(f.value)) for f in entity.facts
                   if f.incoming and str(f.value) in options})
left, right = st.columns(2)
for column, title, links in ((left, "This entity →", outgoing), (right, "→ this entity", incoming)):
    with column:
        st.markdown(f"**{title}** ({len(links)})")
        for prop, target in links[:80]:
            components.entity_link(target, f"{prop}: {options[target]}")
        if len(links) > 80:
            st.caption(f"and {len(links) - 80} more (see the Graph view with this entity as focus)")
st.page_link("views/graph.py", label="Show in the graph", icon=":material/hub:", query_params={"focus": iri})
