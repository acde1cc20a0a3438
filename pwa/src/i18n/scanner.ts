// Messages of the QR code reader (components/QrScanner.vue); spread into zh-CN.ts and en.ts.
export const scannerZh = {
  scanner: {
    start: '打开相机扫码',
    stop: '关闭相机',
    hint: '把二维码放进框内',
    viewLabel: '相机画面',
    noCamera: '这台手机无法使用相机，请在下方输入码',
    error: {
      denied: '没有相机权限。请在浏览器设置里允许使用相机，或在下方输入码',
      missing: '没有找到相机，请在下方输入码',
      failed: '相机打不开，请在下方输入码',
    },
    manualLabel: '输入码',
    manualPlaceholder: '或手动输入',
    manualEmpty: '请先输入码',
    submit: '确定',
  },
}

export const scannerEn: typeof scannerZh = {
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
