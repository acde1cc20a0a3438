// Messages of the QR code reader (components/QrScanner.vue).
export default {
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
