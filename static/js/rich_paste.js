// The import pages keep the formatting of a post pasted from a web page: when the whole text
// of the box is one paste, the clipboard's HTML goes with the form, in the hidden field that
// the box's data-rich-paste names (portability/markdown_import/rich_text.py reads it). Typing
// in the box afterwards, or pasting into text already there, lets go of it, so what is read
// is always what the box shows.
// With the text beside it, well within the 2.5 MB a form may send.
const MAX_HTML = 600000;

document.addEventListener("paste", (event) => {
  const box = event.target.closest && event.target.closest("textarea[data-rich-paste]");
  const field = box && box.form && box.form.elements.namedItem(box.dataset.richPaste);
  if (!field) return;
  // Pictures copied inside the page (data: addresses) would make the form too large to
  // send, and are no use as links: they go; a page still too long is read as plain text.
  const html = (event.clipboardData ? event.clipboardData.getData("text/html") : "")
    .replace(/\ssrc\s*=\s*(["'])data:[^"']*\1/gi, ' src=""');
  const whole = box.value.trim() === "" || box.selectionEnd - box.selectionStart === box.value.length;
  field.value = whole && html.length <= MAX_HTML ? html : "";
});

document.addEventListener("input", (event) => {
  const box = event.target.closest && event.target.closest("textarea[data-rich-paste]");
  const field = box && box.form && box.form.elements.namedItem(box.dataset.richPaste);
  if (field && event.inputType !== "insertFromPaste") field.value = "";
});
