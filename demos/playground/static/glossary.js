// The names the page writes (L[3], m[3], ys[3], h1[2], J…) explain themselves: each is an <abbr>
// whose title gives its meaning on hover, and a "Names used" list below says the same on click,
// for keyboards and touch screens. The meanings are the server's (autograd.text.GLOSSARY, as
// nn defines them): one source for the page, explain's text and the notebook.

let terms = [], finder = null;
const whole = (pattern) => `(?<![\\w\\[])(?:${pattern})(?![\\w\\[])`; // as autograd.text._whole

export function setGlossary(declared) {
  terms = declared.map((t) => ({ ...t, exactly: new RegExp(`^(?:${t.pattern})$`) }));
  finder = terms.length ? new RegExp(terms.map((t) => whole(t.pattern)).join("|"), "g") : null;
}

const termOf = (name) => terms.find((t) => t.exactly.test(name));

// `text` with every known name an <abbr> titled with its meaning; `used` collects the terms.
export function explained(text, used = new Set()) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const match of finder ? text.matchAll(finder) : []) {
    const term = termOf(match[0]);
    if (!term) continue;
    out.append(text.slice(at, match.index));
    const abbr = document.createElement("abbr");
    abbr.textContent = match[0];
    abbr.title = `${term.name}: ${term.meaning}`;
    out.append(abbr);
    used.add(term);
    at = match.index + match[0].length;
  }
  out.append(text.slice(at));
  return out;
}

// The terms `used`, as a list a click opens: each name and its meaning.
export function namesUsed(used) {
  const box = document.createElement("details");
  box.className = "names-used";
  const summary = document.createElement("summary");
  summary.textContent = "Names used";
  const list = document.createElement("dl");
  for (const term of terms.filter((t) => used.has(t))) {
    list.append(Object.assign(document.createElement("dt"), { textContent: term.name }),
                Object.assign(document.createElement("dd"), { textContent: term.meaning }));
  }
  box.append(summary, list);
  return box;
}
