import type { GuideItem, GuideItemInput, GuideMode, Material } from '@/api/guide'
import type { Ref } from '@/api/types'

// Rows carry a key of their own so that inputs keep focus and state when rows move or go.
let nextKey = 1
export interface MaterialRow extends Material {
  key: number
}
export interface StepRow {
  key: number
  text: string
}

export interface ItemForm {
  category_id: number | null
  title: string
  summary: string
  audience: string
  materials: MaterialRow[]
  steps: StepRow[]
  office: string
  office_hours: string
  fee: string
  time_limit_days: string
  legal_basis: string
  mode: GuideMode
  online_url: string
  phone: string
  tags: string
  aliases: string
  no_longer_issued: boolean
  instead: string
  facility: Ref | null
  contact: Ref | null
}

export const newMaterial = (m: Partial<Material> = {}): MaterialRow => ({
  key: nextKey++,
  name: '',
  form: 'original',
  copies: 1,
  note: '',
  ...m,
})
export const newStep = (text = ''): StepRow => ({ key: nextKey++, text })

export function emptyForm(): ItemForm {
  return {
    category_id: null,
    title: '',
    summary: '',
    audience: '',
    materials: [],
    steps: [],
    office: '',
    office_hours: '',
    fee: '',
    time_limit_days: '',
    legal_basis: '',
    mode: 'in_person',
    online_url: '',
    phone: '',
    tags: '',
    aliases: '',
    no_longer_issued: false,
    instead: '',
    facility: null,
    contact: null,
  }
}

export function formFromItem(item: GuideItem): ItemForm {
  const { title, summary, audience, office, office_hours, fee, legal_basis, mode, online_url, phone } = item
  return {
    title,
    summary,
    audience,
    office,
    office_hours,
    fee,
    legal_basis,
    mode,
    online_url,
    phone,
    no_longer_issued: item.no_longer_issued,
    instead: item.instead,
    facility: item.facility && { id: item.facility.id, name: item.facility.name },
    contact: item.contact,
    category_id: item.category_id,
    materials: item.materials.map((m) => newMaterial(m)),
    steps: item.steps.map((s) => newStep(s)),
    time_limit_days: item.time_limit_days === null ? '' : String(item.time_limit_days),
    tags: item.tags.join('，'),
    aliases: item.aliases.join('，'),
  }
}

const splitList = (text: string) => text.split(/[,，、;；\n]+/).map((s) => s.trim()).filter(Boolean)

export function inputFromForm(form: ItemForm, published: boolean): GuideItemInput {
  const days = form.time_limit_days.trim()
  return {
    category_id: form.category_id ?? 0,
    title: form.title.trim(),
    summary: form.summary.trim(),
    audience: form.audience.trim(),
    materials: form.materials.map(({ name, form: f, copies, note }) => ({ name: name.trim(), form: f, copies, note: note.trim() })),
    steps: form.steps.map((s) => s.text.trim()),
    office: form.office.trim(),
    office_hours: form.office_hours.trim(),
    fee: form.fee.trim(),
    time_limit_days: days === '' ? null : Number(days),
    legal_basis: form.legal_basis.trim(),
    mode: form.mode,
    online_url: form.mode === 'in_person' ? '' : form.online_url.trim(),
    phone: form.phone.trim(),
    tags: splitList(form.tags),
    aliases: splitList(form.aliases),
    no_longer_issued: form.no_longer_issued,
    instead: form.no_longer_issued ? form.instead.trim() : '',
    facility_id: form.facility?.id ?? null,
    contact_user_id: form.contact?.id ?? null,
    published,
  }
}

/** What the browser can tell before asking the server, keyed like the server's field errors. */
export function checkForm(form: ItemForm, t: (key: string) => string): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!form.title.trim()) errors.title = t('guide.staff.required')
  if (!form.category_id) errors.category_id = t('guide.staff.required')
  form.materials.forEach((m, n) => {
    if (!m.name.trim()) errors[`materials.${n}.name`] = t('guide.staff.required')
  })
  form.steps.forEach((s, n) => {
    if (!s.text.trim()) errors[`steps.${n}`] = t('guide.staff.required')
  })
  const url = form.online_url.trim()
  if (form.mode !== 'in_person' && !url) errors.online_url = t('guide.staff.needUrl')
  else if (form.mode !== 'in_person' && !/^https?:\/\/\S+$/i.test(url)) errors.online_url = t('guide.staff.badUrl')
  const days = form.time_limit_days.trim()
  if (days && !(/^\d+$/.test(days) && Number(days) <= 365)) errors.time_limit_days = t('guide.staff.badDays')
  return errors
}
