// The reply box's counter: characters and how many texts (SMS segments) the reply will cost.
// The same rules as voice_service/engine/gsm.py sms_segments: GSM-7 fits 160 (153 per part when
// split), and one character outside it (a curly quote, an emoji) makes the whole text UCS-2: 70 (67).
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENDED = "^{}\\[~]|€\f";

function pack(units, single, part) {
  const total = units.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const width of units) {
    if (used + width > part) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return segments;
}

export function smsSegments(text) {
  const chars = Array.from(text);
  if (chars.every((ch) => BASIC.includes(ch) || EXTENDED.includes(ch))) {
    return pack(chars.map((ch) => (EXTENDED.includes(ch) ? 2 : 1)), 160, 153);
  }
  return pack(chars.map((ch) => (ch.codePointAt(0) > 0xffff ? 2 : 1)), 70, 67);
}

for (const box of document.querySelectorAll("[data-sms-counter]")) {
  const output = document.getElementById(box.dataset.smsCounter);
  const update = () => {
    const count = Array.from(box.value).length;
    const texts = smsSegments(box.value);
    output.textContent =
      `${count} character${count === 1 ? "" : "s"}, ${texts} text${texts === 1 ? "" : "s"}` +
      (texts > 1 ? ": try to keep it to one text" : "");
    output.classList.toggle("govuk-!-font-weight-bold", texts > 1);
  };
  box.addEventListener("input", update);
  update();
}
