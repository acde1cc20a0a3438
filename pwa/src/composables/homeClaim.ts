import type { ResidencyInput } from '@/api/auth'
import type { Relation } from '@/api/types'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** The "which home" step shared by registering and adding a home: an invite code or a dwelling claim. */
export interface HomeClaim {
  method: 'invite' | 'dwelling'
  inviteCode: string
  dwellingId: number | null
  relation: Relation
}

export const newHomeClaim = (inviteCode = ''): HomeClaim => ({
  method: 'invite',
  inviteCode,
  dwellingId: null,
  relation: 'owner',
})

/** What is missing before sending, by the API's field names. */
export function homeClaimErrors(claim: HomeClaim, t: Translate): Record<string, string> {
  if (claim.method === 'invite' && !claim.inviteCode.trim())
    return { invite_code: t('validation.required', { field: t('auth.inviteCode') }) }
  if (claim.method === 'dwelling' && !claim.dwellingId)
    return { dwelling_id: t('validation.choose', { field: t('auth.dwelling') }) }
  return {}
}

export function homeClaimInput(communityId: number, claim: HomeClaim): ResidencyInput {
  return claim.method === 'invite'
    ? { community_id: communityId, invite_code: claim.inviteCode.trim().toUpperCase() }
    : { community_id: communityId, dwelling_id: claim.dwellingId!, relation: claim.relation }
}
