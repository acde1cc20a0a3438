import type { CatalogInput, CatalogItem, ItemKind } from '@/api/points'

/** The catalogue form as typed: numbers stay text until they are checked. */
export interface ItemForm {
  kind: ItemKind
  title: string
  description: string
  photoId: string | null
  photoUrl: string | null
  cost: string
  stock: string
  monthlyLimit: string
  partnerId: number | null
  active: boolean
}

export type Errors = Record<string, string>
type T = (key: string, values?: Record<string, unknown>) => string

export const emptyItem = (): ItemForm => ({
  kind: 'goods',
  title: '',
  description: '',
  photoId: null,
  photoUrl: null,
  cost: '',
  stock: '',
  monthlyLimit: '',
  partnerId: null,
  active: true,
})

export function fromItem(item: CatalogItem): ItemForm {
  return {
    kind: item.kind,
    title: item.title,
    description: item.description ?? '',
    photoId: item.photo_id ?? null,
    photoUrl: item.photo?.thumb_url ?? null,
    cost: String(item.points_cost),
    stock: item.stock === null ? '' : String(item.stock),
    monthlyLimit: item.monthly_limit === null ? '' : String(item.monthly_limit),
    partnerId: item.partner?.id ?? null,
    active: item.active ?? true,
  }
}

const WHOLE = /^\d+$/

/** Problems with the form, keyed by the server's field names. */
export function validateItem(form: ItemForm, t: T, creating: boolean): Errors {
  const errors: Errors = {}
  const name = (key: string) => t(`pointsStaff.${key}`)
  if (!form.title.trim()) errors.title = t('pointsStaff.required', { field: name('itemTitle') })
  if (!WHOLE.test(form.cost.trim()) || Number(form.cost) < 1) errors.points_cost = t('pointsStaff.positive', { field: name('cost') })
  const stock = form.stock.trim()
  if (creating && form.kind === 'goods' && !stock) errors.stock = t('pointsStaff.required', { field: name('stock') })
  else if (creating && stock && !WHOLE.test(stock)) errors.stock = t('pointsStaff.wholeNumber', { field: name('stock') })
  const limit = form.monthlyLimit.trim()
  if (limit && (!WHOLE.test(limit) || Number(limit) < 1)) errors.monthly_limit = t('pointsStaff.positive', { field: name('monthlyLimit') })
  return errors
}

/** What goes to the server. Stock is set when the item is made; afterwards it moves only by adjustments. */
export function toInput(form: ItemForm, creating: boolean): CatalogInput {
  const input: CatalogInput = {
    title: form.title.trim(),
    description: form.description.trim(),
    photo: form.photoId,
    points_cost: Number(form.cost),
    monthly_limit: form.monthlyLimit.trim() ? Number(form.monthlyLimit) : null,
    partner_id: form.partnerId,
  }
  if (!creating) return { ...input, active: form.active }
  return { ...input, kind: form.kind, stock: form.stock.trim() ? Number(form.stock) : null }
}

/** A stock change: a whole number other than zero, with or without a sign. */
export function parseChange(text: string): number | null {
  const s = text.trim().replace(/^＋|^\+/, '').replace(/^−|^－/, '-')
  return /^-?\d+$/.test(s) && Number(s) !== 0 ? Number(s) : null
}
