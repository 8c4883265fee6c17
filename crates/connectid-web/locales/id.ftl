## connectid sign-in pages, messages and assets — Indonesian (id).
## Terminology: "Masuk", "Keluar", "Masuk sebagai"; never "login" or "nama pengguna".
## Formal "Anda", as Indonesian consumer apps and banks use.

brand = CONNECT ID
language = Bahasa

## The first screen (data-step="identifier")
signin-title = Masuk
identifier-label-phone = Nomor telepon
identifier-label-email = Email
identifier-label-phone-or-email = Nomor telepon atau email
identifier-label-email-or-phone = Email atau nomor telepon
identifier-placeholder-email = nama@example.com
identifier-locked = Layanan ini meminta Anda masuk dengan nomor telepon atau email ini.
remember = Tetap masuk
button-next = Berikutnya

## Password (data-step="password")
password-title = Masukkan kata sandi Anda
signing-in-as = Masuk sebagai { $identifier }
password-label = Kata sandi
button-signin = Masuk
not-you = Bukan Anda? Gunakan nomor telepon atau email lain
forgot-password = Lupa kata sandi?

## One-time code (data-step="code")
code-title = Masukkan kode
code-sent = Kami telah mengirim kode 6 digit ke { $identifier }.
code-label = Kode
button-continue = Lanjutkan
code-resend = Kirim kode baru

## Choose a password (data-step="set-password")
set-password-title = Buat kata sandi
set-password-for = Untuk { $identifier }.
password-rules = Minimal { $min } karakter. Hindari kata sandi yang umum.
new-password-label = Kata sandi baru
strength-label = Kekuatan kata sandi
strength-0 = Sangat lemah
strength-1 = Lemah
strength-2 = Cukup
strength-3 = Baik
strength-4 = Kuat

## Add an email (data-step="add-email")
add-email-title = Tambahkan email Anda
add-email-text = { $client } memerlukan alamat email untuk akun Anda. Kami akan mengirim kode untuk memverifikasinya.
email-label = Email

## Consent (data-step="consent")
consent-title = Izinkan { $client } menggunakan akun Anda?
signed-in-as = Masuk sebagai { $identifier }
scope-openid = Mengetahui bahwa ini memang Anda
scope-profile = Nama dan bahasa Anda
scope-email = Alamat email Anda
scope-phone = Nomor telepon Anda
scope-offline_access = Tetap terhubung saat Anda tidak menggunakannya
scope-device_sso = Membuat Anda tetap masuk di aplikasi lain dari penerbit yang sama di perangkat ini
button-allow = Izinkan
button-deny = Tolak

## Signing out
logout-title = Keluar dari CONNECT ID?
button-signout = Keluar
signed-out-title = Anda telah keluar
signed-out-text = Anda telah keluar dari CONNECT ID di perangkat ini.
signed-out-everywhere-title = Anda telah keluar dari semua perangkat
signed-out-everywhere-text = Semua sesi akun CONNECT ID Anda telah berakhir: di perangkat ini, di perangkat Anda yang lain, dan di semua layanan.
signed-out-signin-again = Masuk lagi

## Error pages (data-step="error")
error-title = Terjadi kesalahan
error-details-label = Detail untuk pengembang layanan:
error-reference = Referensi: { $id }
error-bad-request = Layanan mengirim permintaan masuk yang tidak dapat diterima oleh CONNECT ID. Kembali ke layanan dan coba lagi.
error-unknown-client = Layanan ini tidak terdaftar di CONNECT ID.
error-signin-expired = Proses masuk ini sudah kedaluwarsa. Kembali ke layanan dan mulai lagi.
error-other-browser = Proses masuk ini dimulai di browser lain. Kembali ke layanan dan mulai lagi.
error-form-expired = Formulir sudah kedaluwarsa. Kembali dan coba lagi.
error-server = Terjadi kesalahan di pihak kami. Silakan coba lagi.
error-answer-not-sent = Respons tidak dapat dikirim ke layanan.
error-not-found = Halaman ini tidak ditemukan.
error-account-locked = Akun CONNECT ID Anda dikunci. Hubungi dukungan layanan untuk membukanya.

## Messages shown above a form (role="alert")
err-identifier-empty = Masukkan nomor telepon atau alamat email.
err-identifier-phone = Nomor telepon ini tidak valid.
err-identifier-email = Alamat email ini tidak valid.
err-enter-phone = Masukkan nomor telepon.
err-enter-email = Masukkan alamat email.
err-locked = Gunakan nomor telepon atau email akun yang sedang Anda gunakan untuk masuk, atau pilih “Bukan Anda?”.
err-hint-locked = Gunakan nomor telepon atau email yang diminta layanan ini.
err-no-sms = Layanan ini tidak mengirim kode melalui SMS. Masuk dengan email dan kata sandi Anda.
err-sms-refused = Kami tidak dapat mengirim kode melalui SMS ke nomor ini.
err-sms-refused-email = Kami tidak dapat mengirim kode melalui SMS ke nomor ini. Masuk dengan alamat email Anda.
err-sms-challenge = Sebelum kami mengirim kode, browser Anda memeriksa bahwa Anda adalah manusia. Ini hanya sebentar.
challenge-working = Memeriksa…
challenge-noscript = Pemeriksaan ini memerlukan JavaScript. Tanpanya, masuklah dengan alamat email atau kata sandi Anda.
err-sms-budget = Hari ini tidak ada lagi kode yang dapat dikirim melalui SMS. Coba lagi besok.
err-resend-wait = Kode baru saja dikirim. Tunggu { $seconds } detik sebelum meminta kode baru.
err-too-many-sends = Terlalu banyak kode dikirim ke nomor atau alamat ini. Coba lagi dalam satu jam.
err-send-failed = Kode tidak dapat dikirim. Coba lagi dalam beberapa saat.
err-unavailable = Ini tidak dapat dilakukan sekarang. Coba lagi dalam beberapa menit.
err-too-many-passwords = Terlalu banyak kata sandi yang salah. Tunggu { $minutes } menit, lalu coba lagi.
err-too-many-attempts = Terlalu banyak percobaan. Tunggu { $minutes } menit, lalu coba lagi.
err-password-wrong = Kata sandi salah. Coba lagi.
err-code-expired = Kode sudah kedaluwarsa. Minta kode baru.
err-code-too-many = Terlalu banyak kode yang salah. Minta kode baru.
err-code-wrong = Kode salah. Periksa kembali, lalu coba lagi.
err-conflict = Ada yang berubah sementara itu. Coba lagi.
err-password-short = Kata sandi harus terdiri dari minimal { $min } karakter.
err-password-long = Kata sandi terlalu panjang (maksimal 128 byte).
err-password-common = Kata sandi ini terlalu umum. Pilih kata sandi lain.
err-password-weak = Kata sandi ini terlalu mudah ditebak. Buat lebih panjang atau lebih sulit ditebak.
err-password-identifier = Kata sandi tidak boleh berupa nomor telepon atau email Anda.
err-email-taken = Email ini sudah digunakan oleh akun lain. Gunakan email lain.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Kode CONNECT ID Anda adalah { $code }. Berlaku selama 5 menit.
email-code-subject = Kode CONNECT ID Anda
email-code-body = Kode CONNECT ID Anda adalah { $code }. Kode ini berlaku selama 5 menit. Jika Anda tidak mencoba masuk, Anda dapat mengabaikan email ini.
password-changed-subject = Kata sandi CONNECT ID Anda telah diubah
password-changed-body = Kata sandi akun CONNECT ID Anda telah diubah. Jika ini bukan Anda, segera setel ulang kata sandi Anda.

## The "Sign in with CONNECT ID" button
signin-button = Masuk dengan CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Pratinjau alur masuk
previewer-intro = Lihat setiap langkah masuk seperti yang akan dilihat pengguna dengan pengaturan layanan Anda. Tidak ada yang dikirim dan tidak ada yang masuk.
previewer-client-id = Client ID layanan yang terdaftar
previewer-metadata = Atau tempel metadata klien (JSON)
previewer-step = Langkah
previewer-login-hint = Nomor telepon atau email yang diisikan (login_hint)
previewer-locked = Hanya nomor telepon atau email ini yang boleh masuk (login_hint_locked)
previewer-show = Tampilkan pratinjau
previewer-banner = Pratinjau langkah “{ $step }”. Formulir di sini tidak mengirim apa pun.
previewer-back = Ubah pengaturan
previewer-unknown-client = Tidak ada layanan yang terdaftar dengan client ID ini.
previewer-need-client = Masukkan client ID atau tempel metadata klien.
previewer-invalid-metadata = Metadata klien ini tidak valid.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Akun saya
account-nav = Akun
account-phones = Nomor telepon
account-emails = Alamat email
account-none = Belum ada
account-unverified = Belum diverifikasi
account-remove = Hapus
account-remove-label = Hapus { $identifier }
account-add-phone = Tambahkan nomor telepon
account-add-email = Tambahkan alamat email
account-add-text = Kami akan mengirim kode untuk memverifikasinya.
account-password = Kata sandi
account-password-change = Ubah kata sandi
account-password-set = Buat kata sandi
account-password-none = Anda hanya masuk dengan kode.
account-services = Layanan yang terhubung
account-services-text = Layanan yang pernah Anda masuki dengan CONNECT ID. Jika Anda memutuskan sambungan suatu layanan, Anda akan keluar dari layanan tersebut dan diminta masuk lagi.
account-services-none = Belum ada layanan yang terhubung ke akun Anda.
account-services-manage = Lihat dan putuskan sambungan layanan Anda
account-disconnect = Putuskan
account-disconnect-label = Putuskan { $service }
account-signout-everywhere = Keluar dari semua perangkat
account-signout-everywhere-text = Mengakhiri sesi Anda di semua perangkat dan semua layanan, termasuk sesi ini.
account-delete = Hapus akun
account-delete-text = Akun Anda beserta nomor telepon dan alamat emailnya akan dihapus, dan Anda akan keluar dari semua layanan. Tindakan ini tidak dapat dibatalkan.
account-delete-confirm = Hapus akun saya
account-deleted-title = Akun Anda telah dihapus
account-deleted-text = Akun CONNECT ID Anda dan semua data yang tersimpan di dalamnya telah dihapus.
account-back = Kembali ke { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Hapus { $identifier }?
account-remove-text = Anda tidak akan dapat lagi masuk dengan { $identifier }, dan kode tidak akan dikirim lagi ke sana.
account-remove-confirm = Hapus
account-reauth-reason = Untuk mengubah akun Anda, konfirmasikan terlebih dahulu bahwa ini memang Anda.
button-cancel = Batal
button-save = Simpan
button-add = Tambahkan
notice-password-changed = Kata sandi Anda telah diubah. Anda telah keluar dari perangkat Anda yang lain.
notice-identifier-added = { $identifier } telah ditambahkan ke akun Anda.
notice-identifier-removed = { $identifier } telah dihapus dari akun Anda.
notice-service-disconnected = { $service } tidak lagi terhubung.
err-last-identifier = Anda tidak dapat menghapus nomor telepon atau alamat email terakhir Anda.
err-identifier-taken = Nomor telepon atau alamat email ini sudah digunakan oleh akun lain.
err-identifier-known = Nomor telepon atau alamat email ini sudah ada di akun Anda.
identifier-added-subject = Nomor telepon atau email baru telah ditambahkan ke CONNECT ID Anda
identifier-added-body = { $identifier } telah ditambahkan ke akun CONNECT ID Anda. Jika ini bukan Anda, masuklah untuk menghapusnya, lalu ubah kata sandi Anda.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Lanjutkan sebagai { $identifier }?
preauth-text = { $service } membuka halaman untuk Anda dalam keadaan masuk dengan CONNECT ID Anda. Lanjutkan hanya jika Anda sendiri yang membukanya dari aplikasi.
error-link-used = Tautan ini sudah kedaluwarsa atau sudah digunakan. Kembali ke aplikasi dan coba lagi.

## The start page (/): data-step="home"
home-text = Layanan mengarahkan Anda ke sini untuk masuk dengan CONNECT ID Anda. Anda juga dapat mengelola akun Anda di sini.
home-demo = Coba layanan demo
home-discovery = OpenID Connect Discovery (untuk pengembang)
