// The explorer's SPARQL editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes, completion of the
// words Python sends (the project's prefixes, the ontology's classes and properties), Ctrl+Enter (Cmd+Enter) to run.
// Loaded by explorer/sparql_editor.py as a Streamlit components v2 module; everything it needs is in this bundle,
// so the page asks nothing of any other host.
//
// The text is user input: it goes back to Python only as a plain string (setStateValue), and the completion words
// are shown by CodeMirror as text nodes, never as HTML.
import { EditorView, keymap, lineNumbers, highlightActiveLine, placeholder } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { StreamLanguage, bracketMatching, syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const sparqlLanguage = StreamLanguage.define(sparql);
// A word being typed: a prefixed name (eai:AIMo), a bare prefix (ea) or a keyword.
const WORD = /[A-Za-z_][\w-]*:?[\w-]*$/;

function completionOptions(words) {
  return (Array.isArray(words) ? words : []).map((w) => ({
    label: String(w.caption),
    apply: String(w.value),
    detail: String(w.meta),
    type: String(w.meta).startsWith("class") ? "class" : String(w.meta) === "prefix" ? "namespace" : "property",
    boost: Math.max(-99, Math.min(99, Math.round((Number(w.score) || 0) / 100) - 10)),
  }));
}

function source(options) {
  return (context) => {
    const word = context.matchBefore(WORD);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options, validFor: /^[\w:-]*$/ };
  };
}

function capped(limit) {
  // Edits that would make the text longer than the explorer accepts are refused here, where the person types.
  return EditorState.changeFilter.of((tr) => tr.newDoc.length <= limit);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const limit = Number(data.limit) || 10000;
  let holder = parentElement.querySelector(".euaigraph-sparql");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "euaigraph-sparql";
    holder.setAttribute("role", "group");
    holder.setAttribute("aria-label", String(data.label));
    parentElement.appendChild(holder);
  }
  holder.style.height = String(Number(data.height)) + "px";
  if (holder.view) return undefined;  // a rerun with the same key: the editor keeps what is typed

  const submit = (view) => {
    setStateValue("query", view.state.doc.toString());
    return true;
  };
  const state = EditorState.create({
    doc: String(data.text).slice(0, limit),
    extensions: [
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: submit }])),
      lineNumbers(), highlightActiveLine(), history(), bracketMatching(), closeBrackets(),
      sparqlLanguage, syntaxHighlighting(classHighlighter),
      autocompletion({ override: [source(completionOptions(data.words))], activateOnTyping: true, filterStrict: true,
        maxRenderedOptions: 60 }),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
      placeholder("SELECT … WHERE { … }"),
      capped(limit),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": String(data.label) }),
    ],
  });
  holder.view = new EditorView({ state, parent: holder, root: parentElement.getRootNode() });
  return () => {
    holder.view.destroy();
    holder.view = null;
  };
}
