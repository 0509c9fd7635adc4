// The settings' controls, built from the server's declaration: one per setting, in its group's
// fieldset, labelled and ranged as declared. Nothing here names a setting.

const $ = (id) => document.getElementById(id);
let declared = [];

function group(name) {
  let box = document.querySelector(`fieldset[data-group="${name}"] .settings`);
  if (!box) { // a group the page has no fieldset for yet: a new one, before Run
    const fieldset = document.createElement("fieldset");
    fieldset.dataset.group = name;
    fieldset.append(Object.assign(document.createElement("legend"), { textContent: name }));
    box = Object.assign(document.createElement("div"), { className: "settings" });
    fieldset.append(box);
    const run = [...document.querySelectorAll("#controls fieldset")].find((f) => !f.dataset.group);
    $("controls").insertBefore(fieldset, run || null);
  }
  return box;
}

function control(setting) {
  if (setting.control === "select") {
    const select = document.createElement("select");
    for (const [value, shown] of Object.entries(setting.options)) select.add(new Option(shown, value));
    return select;
  }
  const input = document.createElement("input");
  if (setting.control === "number") {
    Object.assign(input, { type: "number", step: setting.step });
    if (setting.min !== null && Number.isFinite(setting.min)) input.min = setting.min;
    if (setting.max !== null && Number.isFinite(setting.max)) input.max = setting.max;
  } else {
    Object.assign(input, { type: "text", inputMode: "numeric", placeholder: setting.default });
  }
  return input;
}

export function buildControls(settings, onChange) {
  declared = settings;
  for (const setting of declared) {
    if (!setting.control) continue;
    const box = group(setting.group);
    if (setting.control === "per-layer") { // one select per entry of the setting it follows
      const layers = Object.assign(document.createElement("div"), { id: setting.name });
      layers.dataset.perLayer = "";
      box.append(layers);
      continue;
    }
    const label = Object.assign(document.createElement("label"), { htmlFor: setting.name, textContent: setting.label });
    const element = control(setting);
    Object.assign(element, { id: setting.name, name: setting.name, title: setting.help });
    element.dataset.live = String(setting.live);
    element.addEventListener("change", onChange);
    const pair = Object.assign(document.createElement("div"), { className: "setting" });
    pair.append(label, element);
    box.append(pair);
  }
  onPerLayerChange = onChange;
}

let onPerLayerChange = () => {};

function showPerLayer(setting, settings) {
  const box = $(setting.name);
  const count = settings[setting.per].split(/[\s,]+/).filter(Boolean).length;
  const values = settings[setting.name].split(" ").filter(Boolean);
  if (box.dataset.layers !== String(count)) {
    box.dataset.layers = String(count);
    box.replaceChildren();
    for (let k = 1; k <= count; k++) {
      const id = `${setting.name}-${k}`;
      const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: `${setting.label} ${k}` });
      const select = document.createElement("select");
      select.id = id;
      for (const name of Object.keys(setting.options)) select.add(new Option(name, name));
      select.addEventListener("change", onPerLayerChange);
      box.append(label, select);
    }
  }
  values.forEach((value, k) => { if ($(`${setting.name}-${k + 1}`)) $(`${setting.name}-${k + 1}`).value = value; });
}

// The values in force, in every control (except the one being typed in, unless `everywhere`).
export function showSettings(settings, everywhere = false) {
  for (const setting of declared) {
    if (!setting.control) continue;
    if (setting.control === "per-layer") { showPerLayer(setting, settings); continue; }
    const element = $(setting.name);
    if (everywhere || document.activeElement !== element) element.value = settings[setting.name];
  }
}

// The fields as text, as a link holds them; settings without a control keep their value in force.
export function collectSettings(inForce) {
  const fields = {};
  for (const setting of declared) {
    if (!setting.control) fields[setting.name] = inForce[setting.name] ?? "";
    else if (setting.control === "per-layer") {
      const chosen = [...$(setting.name).querySelectorAll("select")].map((select) => select.value);
      const count = $(setting.per).value.split(/[\s,]+/).filter(Boolean).length;
      while (chosen.length < count) chosen.push(chosen[chosen.length - 1] || Object.keys(setting.options)[0]);
      fields[setting.name] = chosen.slice(0, count).join(" ");
    } else fields[setting.name] = $(setting.name).value;
  }
  return fields;
}

// A refused value: one message beside its field (the value in force is shown again), until the
// next setting is accepted.
export function showRefusal(field, text) {
  clearRefusals();
  const control = field && (document.getElementById(field) || document.getElementById(`${field}-1`));
  const place = control ? control.closest(".setting") || control : document.getElementById("message");
  const note = Object.assign(document.createElement("p"), { className: "refusal", textContent: text });
  note.setAttribute("role", "alert");
  place.after(note);
}

export function clearRefusals() {
  for (const note of document.querySelectorAll(".refusal")) note.remove();
}
