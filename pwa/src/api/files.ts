import { api } from './client'

/** Registered by the domain that uses the file; it decides who may upload and read it. */
export type FilePurpose =
  | 'proxy_consent'
  | 'contact_photo'
  | 'question_photo'
  | 'catalog_photo'
  | 'provider_licence'
  | 'provider_photo'

/** An uploaded photo, re-encoded by the server: a display copy (≤ 1600 px) and a thumbnail (≤ 320 px). */
export interface StoredFile {
  id: string
  purpose: FilePurpose
  width: number
  height: number
  size: number
  thumb_size: number
  created_at: string
  attached_at: string | null
  /** Same-origin addresses: the session cookie goes along and the server checks who may see it. */
  url: string
  thumb_url: string
}

export function uploadFile(cid: number, purpose: FilePurpose, file: Blob, name = 'photo.jpg'): Promise<StoredFile> {
  const form = new FormData()
  form.append('purpose', purpose)
  form.append('file', file, name)
  return api.upload<StoredFile>(`/communities/${cid}/files`, form)
}
