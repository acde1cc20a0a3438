import type { ContactInput, ManagedContact, PartyArea, Position } from '@/api/contacts'
import { i18n } from '@/i18n'

export type Errors = Record<string, string>

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

export interface ProfileForm {
  name: string
  position: Position | ''
  title: string
  handles: string
  tags: string
  workPhone: string
  privateMobile: string
  showMobile: boolean
  gridIds: number[]
  visible: boolean
  party: boolean
  partyAreas: PartyArea[]
  partyHours: string
  /** The file id of the photo (a new upload, or the one already there). */
  photo: string | null
  photoUrl: string | null
}

export function emptyProfile(): ProfileForm {
  return {
    name: '',
    position: '',
    title: '',
    handles: '',
    tags: '',
    workPhone: '',
    privateMobile: '',
    showMobile: false,
    gridIds: [],
    visible: true,
    party: false,
    partyAreas: [],
    partyHours: '',
    photo: null,
    photoUrl: null,
  }
}

export function fromManaged(c: ManagedContact): ProfileForm {
  return {
    name: c.name,
    position: c.position,
    title: c.title,
    handles: c.handles,
    tags: c.tags.join('、'),
    workPhone: c.work_phone,
    privateMobile: c.private_mobile,
    showMobile: c.show_mobile,
    gridIds: c.grids.map((g) => g.id),
    visible: c.visible,
    party: c.party !== null,
    partyAreas: [...(c.party?.areas ?? [])],
    partyHours: c.party?.hours ?? '',
    photo: c.photo,
    photoUrl: c.photo_thumb_url,
  }
}

/** Tags are typed as one line, split at commas, 、 or spaces. */
export const splitTags = (text: string) => [...new Set(text.split(/[,，、;；\s]+/).filter(Boolean))]

export function toInput(form: ProfileForm): ContactInput {
  return {
    name: form.name.trim(),
    position: form.position || 'other',
    title: form.title.trim(),
    handles: form.handles.trim(),
    tags: splitTags(form.tags),
    work_phone: form.workPhone.trim(),
    private_mobile: form.privateMobile.trim(),
    show_mobile: form.showMobile,
    grid_ids: [...form.gridIds].sort((a, b) => a - b),
    photo: form.photo,
    visible: form.visible,
    party: form.party ? { areas: form.partyAreas, hours: form.partyHours.trim() } : null,
  }
}

/** Only what changed, for a PATCH (an uploaded photo can be claimed once, so it is not sent again). */
export function changesOf(before: ContactInput, after: ContactInput): Partial<ContactInput> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key as keyof ContactInput])) out[key] = value
  }
  return out as Partial<ContactInput>
}

const MOBILE_RE = /^1\d{10}$/
// As dialled: digit groups joined by dashes ("021-55550123"), spaces ignored, at most 20.
const PHONE_RE = /^\d+(-\d+)*$/
const MAX_TAGS = 10
const MAX_TAG = 20

const phoneOk = (v: string) => {
  const number = v.replace(/\s/g, '')
  return !number || (number.length <= 20 && PHONE_RE.test(number))
}

export function validateProfile(form: ProfileForm): Errors {
  const out: Errors = {}
  if (!form.name.trim()) out.name = t('contactsStaff.err.required')
  if (!form.position) out.position = t('contactsStaff.err.choose')
  if (!phoneOk(form.workPhone)) out.work_phone = t('contactsStaff.err.phone')
  const tags = splitTags(form.tags)
  if (tags.length > MAX_TAGS || tags.some((tag) => tag.length > MAX_TAG)) out.tags = t('contactsStaff.err.tags', { n: MAX_TAGS, len: MAX_TAG })
  if (form.privateMobile.trim() && !MOBILE_RE.test(form.privateMobile.trim())) out.private_mobile = t('contactsStaff.err.mobile')
  if (form.showMobile && !form.privateMobile.trim()) out.private_mobile = t('contactsStaff.err.mobileToShow')
  if (form.party && !form.partyAreas.length) out['party.areas'] = t('contactsStaff.err.areas')
  return out
}
