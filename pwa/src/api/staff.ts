import { api } from './client'
import type { ImportResult, Invite, Page, PendingResidency, Relation } from './types'

const base = (cid: number) => `/communities/${cid}`

/** A page of residencies; `after` (the last id shown) continues a queue whose earlier rows were decided meanwhile. */
export const listResidencies = (cid: number, status = 'pending', after?: number, q?: string) =>
  api.get<Page<PendingResidency>>(`${base(cid)}/residencies`, { query: { status, after, q: q || undefined } })
export const verifyResidency = (cid: number, rid: number) =>
  api.post<PendingResidency>(`${base(cid)}/residencies/${rid}/verify`)
export const rejectResidency = (cid: number, rid: number, reason: string) =>
  api.post<PendingResidency>(`${base(cid)}/residencies/${rid}/reject`, { reason })

export interface InviteInput {
  dwelling_id: number
  relation: Relation
  expires_in_days: number
  max_uses: number
}
export interface PasswordResetCode {
  code: string
  expires_at: string
  user: { id: number; name: string; phone: string }
}
export const issuePasswordReset = (cid: number, userId: number) =>
  api.post<PasswordResetCode>(`${base(cid)}/residents/${userId}/password-reset`)
export const listInvites = (cid: number, page = 1) =>
  api.get<Page<Invite>>(`${base(cid)}/invites`, { query: { page } })
export const getInvite = (cid: number, id: number) => api.get<Invite>(`${base(cid)}/invites/${id}`)
export const createInvite = (cid: number, input: InviteInput) => api.post<Invite>(`${base(cid)}/invites`, input)
export const revokeInvite = (cid: number, id: number) => api.del(`${base(cid)}/invites/${id}`)

export function importDwellings(cid: number, file: File) {
  const form = new FormData()
  form.append('file', file)
  return api.upload<ImportResult>(`${base(cid)}/dwellings/import`, form)
}
