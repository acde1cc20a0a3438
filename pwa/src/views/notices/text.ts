// Staff write plain text; notices are stored as (sanitised) HTML paragraphs.
const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Blank lines separate paragraphs; single line breaks stay line breaks. */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split('\n').map(escape).join('<br>')}</p>`)
    .join('')
}

export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  doc.querySelectorAll('br').forEach((br) => br.replaceWith('\n'))
  const blocks = [...doc.body.querySelectorAll('p, li, h2, h3, h4, blockquote')]
  if (!blocks.length) return doc.body.textContent?.trim() ?? ''
  return blocks.map((b) => b.textContent?.trim() ?? '').filter(Boolean).join('\n\n')
}
