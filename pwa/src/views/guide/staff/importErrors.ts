// Where in an import file an error is, in words: "第 2 个分类“户籍” · 第 1 个事项“居住证办理” · 事项名称".
type Translate = (key: string, values?: Record<string, unknown>) => string
type Named = { name?: unknown; title?: unknown; items?: unknown }

const FIELDS: Record<string, string> = {
  title: 'field.title',
  summary: 'field.summary',
  audience: 'field.audience',
  materials: 'field.materials',
  steps: 'field.steps',
  office: 'field.office',
  office_hours: 'field.officeHours',
  fee: 'field.fee',
  time_limit_days: 'field.timeLimit',
  legal_basis: 'field.legalBasis',
  mode: 'field.mode',
  online_url: 'field.onlineUrl',
  phone: 'field.phone',
  tags: 'field.tags',
  aliases: 'field.aliases',
  no_longer_issued: 'field.noLongerIssued',
  instead: 'field.instead',
  name: 'categoryName',
  categories: 'fileCategories',
  version: 'fileVersion',
  copies: 'material.copies',
  form: 'material.form',
  note: 'material.note',
}

const quoted = (value: unknown) => (typeof value === 'string' && value ? `“${value}”` : '')
const at = (list: unknown, n: number): Named | undefined =>
  Array.isArray(list) && list[n] && typeof list[n] === 'object' ? (list[n] as Named) : undefined

export function describePath(path: string, file: unknown, t: Translate): string {
  const parts = path.split('.')
  const out: string[] = []
  let parent: Named | undefined = file && typeof file === 'object' ? (file as Named) : undefined
  for (let i = 0; i < parts.length; i++) {
    const [part, next] = [parts[i], parts[i + 1]]
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) : null
    if (part === '_schema') continue
    if (index !== null && (part === 'categories' || part === 'items')) {
      const list = part === 'categories' ? (parent as { categories?: unknown })?.categories : parent?.items
      parent = at(list, index)
      const name = quoted(part === 'categories' ? parent?.name : parent?.title)
      out.push(t(part === 'categories' ? 'guide.staff.atCategory' : 'guide.staff.atItem', { n: index + 1, name }))
      i++
    } else if (part === 'name' && parts[i - 2] === 'materials') out.push(t('guide.staff.material.name'))
    else if (/^\d+$/.test(part)) out.push(`#${Number(part) + 1}`)
    else out.push(FIELDS[part] ? t(`guide.staff.${FIELDS[part]}`) : part)
  }
  return out.join(' · ') || t('guide.staff.wholeFile')
}
