import { ref } from 'vue'
import type { Slip } from '@/api/voting'

// Paper codes are shown once: they live in memory between the manage page and the print sheet only,
// never in storage, and are gone after a reload.
export const issuedSlips = ref<{ pollId: number; slips: Slip[] } | null>(null)
