// Zoom and pan for a drawn graph (Graphviz's SVG): the view is a centre (in the drawing's own
// units, points) and a scale (pixels per point); the SVG's viewBox is derived from them and the
// box's size, so the drawing is never stretched. Wheel, drag, buttons and keys all change the view.

export class ZoomView {
  constructor(box) {
    this.box = box;
    this.svg = null;
    this.centre = [0, 0];
    this.scale = 1;
    this.extent = [0, 0, 1, 1]; // the whole drawing: x, y, width, height
    box.addEventListener("wheel", (event) => {
      if (!this.svg) return;
      event.preventDefault();
      this.zoomAt(event.deltaY < 0 ? 1.25 : 0.8, event.clientX, event.clientY);
    }, { passive: false });
    let drag = null;
    box.addEventListener("pointerdown", (event) => {
      if (!this.svg) return;
      drag = [event.clientX, event.clientY];
      box.setPointerCapture(event.pointerId);
    });
    box.addEventListener("pointermove", (event) => {
      if (!drag) return;
      this.pan((drag[0] - event.clientX) / this.scale, (drag[1] - event.clientY) / this.scale);
      drag = [event.clientX, event.clientY];
    });
    box.addEventListener("pointerup", () => { drag = null; });
  }

  // A new drawing: shown whole.
  show(svg) {
    this.svg = svg;
    const [x, y, w, h] = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    this.extent = [x, y, w, h];
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    this.fit();
  }

  fit() {
    const [x, y, w, h] = this.extent;
    const { width, height } = this.area();
    this.scale = Math.min(width / w, height / h);
    this.centre = [x + w / 2, y + h / 2];
    this.apply();
  }

  zoom(factor) {
    const a = this.area();
    this.zoomAt(factor, a.left + a.width / 2, a.top + a.height / 2);
  }

  // Zoom by `factor`, keeping the drawing's point under (clientX, clientY) where it is.
  zoomAt(factor, clientX, clientY) {
    const [gx, gy] = this.toDrawing(clientX, clientY);
    const { width, height } = this.area();
    const least = 0.5 * Math.min(width / this.extent[2], height / this.extent[3]);
    this.scale = Math.min(8, Math.max(least, this.scale * factor));
    const [nx, ny] = this.toDrawing(clientX, clientY);
    this.centre = [this.centre[0] + gx - nx, this.centre[1] + gy - ny];
    this.apply();
  }

  pan(dx, dy) {
    this.centre = [this.centre[0] + dx, this.centre[1] + dy];
    this.apply();
  }

  // Bring `element` (a part of the drawing) into view, at a readable scale (at least 1 pixel a point).
  reveal(element) {
    if (!this.svg || !element) return;
    const r = element.getBoundingClientRect(), a = this.area();
    const b = { left: a.left, top: a.top, right: a.left + a.width, bottom: a.top + a.height };
    const inside = r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom;
    // Readable is a pixel a point, unless the element is wider than the box: then it just fits.
    const fits = 0.95 * Math.min(a.width / (r.width / this.scale), a.height / (r.height / this.scale));
    const readable = Math.min(1, fits);
    if (inside && this.scale >= readable * 0.99) return;
    const [gx, gy] = this.toDrawing(r.left + r.width / 2, r.top + r.height / 2);
    this.scale = Math.min(Math.max(this.scale, readable), fits);
    this.centre = [gx, gy];
    this.apply();
  }

  toDrawing(clientX, clientY) {
    const { left, top, width, height } = this.area();
    return [this.centre[0] + (clientX - left - width / 2) / this.scale,
            this.centre[1] + (clientY - top - height / 2) / this.scale];
  }

  apply() {
    const { width, height } = this.area();
    const w = width / this.scale, h = height / this.scale;
    this.svg.setAttribute("viewBox", [this.centre[0] - w / 2, this.centre[1] - h / 2, w, h].map((v) => v.toFixed(2)).join(" "));
  }

  // The box's inside (no border), where the drawing is shown, in client pixels.
  area() {
    const r = this.box.getBoundingClientRect();
    return { left: r.left + this.box.clientLeft, top: r.top + this.box.clientTop,
             width: this.box.clientWidth, height: this.box.clientHeight };
  }

  forget() { this.svg = null; }
}
