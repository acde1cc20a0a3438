// Messages of the QR code reader (components/QrScanner.vue).
import type zh from '../zh-CN/scanner'

const en: typeof zh = {
  scanner: {
    start: 'Scan with the camera',
    stop: 'Close the camera',
    hint: 'Put the QR code inside the frame',
    viewLabel: 'Camera view',
    noCamera: 'This phone cannot use its camera here; type the code below',
    error: {
      denied: 'No permission to use the camera. Allow it in the browser settings, or type the code below',
      missing: 'No camera was found; type the code below',
      failed: 'The camera would not open; type the code below',
    },
    manualLabel: 'Code',
    manualPlaceholder: 'Or type it',
    manualEmpty: 'Type the code first',
    submit: 'OK',
  },
}

export default en
