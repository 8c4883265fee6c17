## connectid sign-in pages, messages and assets — Malay (ms).
## Terminology: "Log masuk", "Log keluar", "Dilog masuk sebagai"; never "login" or "nama pengguna".
## Polite "anda", as Malaysian consumer apps and banks use.

brand = CONNECT ID
language = Bahasa

## The first screen (data-step="identifier")
signin-title = Log masuk
identifier-label-phone = Nombor telefon
identifier-label-email = E-mel
identifier-label-phone-or-email = Nombor telefon atau e-mel
identifier-label-email-or-phone = E-mel atau nombor telefon
identifier-placeholder-email = nama@example.com
identifier-locked = Perkhidmatan ini meminta anda log masuk dengan nombor telefon atau e-mel ini.
remember = Kekal log masuk
button-next = Seterusnya

## Password (data-step="password")
password-title = Masukkan kata laluan anda
signing-in-as = Log masuk sebagai { $identifier }
password-label = Kata laluan
button-signin = Log masuk
not-you = Bukan anda? Gunakan nombor telefon atau e-mel lain
forgot-password = Lupa kata laluan?

## One-time code (data-step="code")
code-title = Masukkan kod
code-sent = Kami telah menghantar kod 6 digit ke { $identifier }.
code-label = Kod
button-continue = Teruskan
code-resend = Hantar kod baharu

## Choose a password (data-step="set-password")
set-password-title = Cipta kata laluan
set-password-for = Untuk { $identifier }.
password-rules = Sekurang-kurangnya { $min } aksara. Elakkan kata laluan yang biasa digunakan.
new-password-label = Kata laluan baharu
strength-label = Kekuatan kata laluan
strength-0 = Sangat lemah
strength-1 = Lemah
strength-2 = Sederhana
strength-3 = Baik
strength-4 = Kuat

## Add an email (data-step="add-email")
add-email-title = Tambah e-mel anda
add-email-text = { $client } memerlukan alamat e-mel untuk akaun anda. Kami akan menghantar kod untuk mengesahkannya.
email-label = E-mel

## Consent (data-step="consent")
consent-title = Benarkan { $client } menggunakan akaun anda?
signed-in-as = Dilog masuk sebagai { $identifier }
scope-openid = Mengetahui bahawa ini memang anda
scope-profile = Nama dan bahasa anda
scope-email = Alamat e-mel anda
scope-phone = Nombor telefon anda
scope-offline_access = Kekal bersambung semasa anda tidak menggunakannya
scope-device_sso = Mengekalkan anda log masuk ke aplikasi lain daripada penerbit yang sama pada peranti ini
button-allow = Benarkan
button-deny = Tolak

## Signing out
logout-title = Log keluar daripada CONNECT ID?
button-signout = Log keluar
signed-out-title = Anda telah log keluar
signed-out-text = Anda telah log keluar daripada CONNECT ID pada peranti ini.
signed-out-everywhere-title = Anda telah log keluar daripada semua peranti
signed-out-everywhere-text = Semua sesi akaun CONNECT ID anda telah ditamatkan: pada peranti ini, pada peranti anda yang lain dan dalam semua perkhidmatan.
signed-out-signin-again = Log masuk semula

## Error pages (data-step="error")
error-title = Ada sesuatu yang tidak kena
error-details-label = Butiran untuk pembangun perkhidmatan:
error-reference = Rujukan: { $id }
error-bad-request = Perkhidmatan itu menghantar permintaan log masuk yang tidak dapat diterima oleh CONNECT ID. Kembali ke perkhidmatan itu dan cuba lagi.
error-unknown-client = Perkhidmatan ini tidak berdaftar dengan CONNECT ID.
error-signin-expired = Log masuk ini telah tamat tempoh. Kembali ke perkhidmatan itu dan mulakan semula.
error-other-browser = Log masuk ini dimulakan dalam penyemak imbas lain. Kembali ke perkhidmatan itu dan mulakan semula.
error-form-expired = Borang ini telah tamat tempoh. Kembali dan cuba lagi.
error-server = Berlaku masalah di pihak kami. Sila cuba lagi.
error-answer-not-sent = Jawapan tidak dapat dihantar kepada perkhidmatan itu.
error-not-found = Halaman ini tidak wujud.
error-account-locked = Akaun CONNECT ID anda dikunci. Hubungi sokongan perkhidmatan itu untuk membukanya.

## Messages shown above a form (role="alert")
err-identifier-empty = Masukkan nombor telefon atau alamat e-mel.
err-identifier-phone = Nombor telefon ini tidak sah.
err-identifier-email = Alamat e-mel ini tidak sah.
err-enter-phone = Masukkan nombor telefon.
err-enter-email = Masukkan alamat e-mel.
err-locked = Gunakan nombor telefon atau e-mel akaun yang anda gunakan untuk log masuk, atau pilih “Bukan anda?”.
err-hint-locked = Gunakan nombor telefon atau e-mel yang diminta oleh perkhidmatan ini.
err-no-sms = Perkhidmatan ini tidak menghantar kod melalui SMS. Log masuk dengan e-mel dan kata laluan anda.
err-sms-refused = Kami tidak dapat menghantar kod melalui SMS ke nombor ini.
err-sms-refused-email = Kami tidak dapat menghantar kod melalui SMS ke nombor ini. Log masuk dengan alamat e-mel anda.
err-sms-challenge = Sebelum kami menghantar kod, pelayar anda menyemak bahawa anda seorang manusia. Ini mengambil masa seketika.
challenge-working = Menyemak…
challenge-noscript = Semakan ini memerlukan JavaScript. Tanpanya, log masuk dengan alamat e-mel atau kata laluan anda.
err-sms-budget = Tiada lagi kod boleh dihantar melalui SMS hari ini. Cuba lagi esok.
err-resend-wait = Kod baru sahaja dihantar. Tunggu { $seconds } saat sebelum meminta kod baharu.
err-too-many-sends = Terlalu banyak kod dihantar ke nombor atau alamat ini. Cuba lagi dalam masa sejam.
err-send-failed = Kod tidak dapat dihantar. Cuba lagi sebentar lagi.
err-unavailable = Ini tidak dapat dilakukan sekarang. Cuba lagi dalam beberapa minit.
err-too-many-passwords = Terlalu banyak kata laluan yang salah. Tunggu { $minutes } minit dan cuba lagi.
err-too-many-attempts = Terlalu banyak percubaan. Tunggu { $minutes } minit dan cuba lagi.
err-password-wrong = Kata laluan tidak betul. Cuba lagi.
err-code-expired = Kod telah tamat tempoh. Minta kod baharu.
err-code-too-many = Terlalu banyak kod yang salah. Minta kod baharu.
err-code-wrong = Kod tidak betul. Semak dan cuba lagi.
err-conflict = Ada sesuatu yang berubah sementara itu. Cuba lagi.
err-password-short = Kata laluan mestilah sekurang-kurangnya { $min } aksara.
err-password-long = Kata laluan terlalu panjang (maksimum 128 bait).
err-password-common = Kata laluan ini terlalu biasa. Pilih kata laluan lain.
err-password-weak = Kata laluan ini terlalu mudah diteka. Jadikan lebih panjang atau lebih sukar diteka.
err-password-identifier = Kata laluan tidak boleh sama dengan nombor telefon atau e-mel anda.
err-email-taken = E-mel ini sudah digunakan oleh akaun lain. Gunakan e-mel lain.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Kod CONNECT ID anda ialah { $code }. Tamat tempoh dalam 5 minit.
email-code-subject = Kod CONNECT ID anda
email-code-body = Kod CONNECT ID anda ialah { $code }. Kod ini tamat tempoh dalam 5 minit. Jika anda tidak cuba log masuk, anda boleh abaikan e-mel ini.
password-changed-subject = Kata laluan CONNECT ID anda telah ditukar
password-changed-body = Kata laluan akaun CONNECT ID anda telah ditukar. Jika ini bukan anda, tetapkan semula kata laluan anda dengan segera.

## The "Sign in with CONNECT ID" button
signin-button = Log masuk dengan CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Pratonton aliran log masuk
previewer-intro = Lihat setiap langkah log masuk seperti yang akan dilihat oleh pengguna dengan tetapan perkhidmatan anda. Tiada apa-apa yang dihantar dan tiada sesiapa yang dilog masuk.
previewer-client-id = ID klien perkhidmatan yang berdaftar
previewer-metadata = Atau tampal metadata klien (JSON)
previewer-step = Langkah
previewer-login-hint = Nombor telefon atau e-mel yang akan diisi (login_hint)
previewer-locked = Hanya nombor telefon atau e-mel ini boleh log masuk (login_hint_locked)
previewer-show = Tunjukkan pratonton
previewer-banner = Pratonton langkah “{ $step }”. Borang di sini tidak menghantar apa-apa.
previewer-back = Tukar tetapan
previewer-unknown-client = Tiada perkhidmatan yang berdaftar dengan ID klien ini.
previewer-need-client = Masukkan ID klien atau tampal metadata klien.
previewer-invalid-metadata = Metadata klien ini tidak sah.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Akaun saya
account-nav = Akaun
account-phones = Nombor telefon
account-emails = Alamat e-mel
account-none = Belum ada
account-unverified = Belum disahkan
account-remove = Alih keluar
account-remove-label = Alih keluar { $identifier }
account-add-phone = Tambah nombor telefon
account-add-email = Tambah alamat e-mel
account-add-text = Kami akan menghantar kod untuk mengesahkannya.
account-password = Kata laluan
account-password-change = Tukar kata laluan
account-password-set = Cipta kata laluan
account-password-none = Anda log masuk dengan kod sahaja.
account-services = Perkhidmatan yang disambungkan
account-services-text = Perkhidmatan yang anda log masuk menggunakan CONNECT ID. Jika anda memutuskan sambungan sesuatu perkhidmatan, anda akan dilog keluar daripadanya dan perlu log masuk semula.
account-services-none = Tiada perkhidmatan yang disambungkan ke akaun anda.
account-services-manage = Lihat dan putuskan sambungan perkhidmatan anda
account-disconnect = Putuskan sambungan
account-disconnect-label = Putuskan sambungan dengan { $service }
account-signout-everywhere = Log keluar daripada semua peranti
account-signout-everywhere-text = Menamatkan sesi anda pada semua peranti dan dalam semua perkhidmatan, termasuk sesi ini.
account-delete = Padamkan akaun
account-delete-text = Akaun anda, termasuk nombor telefon dan alamat e-melnya, akan dipadamkan dan anda akan dilog keluar daripada semua perkhidmatan. Tindakan ini tidak boleh dibatalkan.
account-delete-confirm = Padamkan akaun saya
account-deleted-title = Akaun anda telah dipadamkan
account-deleted-text = Akaun CONNECT ID anda dan semua data yang disimpan bersamanya telah dipadamkan.
account-back = Kembali ke { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Alih keluar { $identifier }?
account-remove-text = Anda tidak akan dapat log masuk dengan { $identifier } lagi dan tiada kod akan dihantar kepadanya.
account-remove-confirm = Alih keluar
account-reauth-reason = Untuk mengubah akaun anda, sahkan dahulu bahawa ini memang anda.
button-cancel = Batal
button-save = Simpan
button-add = Tambah
notice-password-changed = Kata laluan anda telah ditukar. Anda telah dilog keluar daripada peranti anda yang lain.
notice-identifier-added = { $identifier } telah ditambahkan pada akaun anda.
notice-identifier-removed = { $identifier } telah dialih keluar daripada akaun anda.
notice-service-disconnected = Sambungan dengan { $service } telah diputuskan.
err-last-identifier = Anda tidak boleh mengalih keluar nombor telefon atau alamat e-mel terakhir anda.
err-identifier-taken = Nombor telefon atau alamat e-mel ini sudah digunakan oleh akaun lain.
err-identifier-known = Nombor telefon atau alamat e-mel ini sudah ada dalam akaun anda.
identifier-added-subject = Nombor telefon atau e-mel baharu telah ditambahkan pada CONNECT ID anda
identifier-added-body = { $identifier } telah ditambahkan pada akaun CONNECT ID anda. Jika ini bukan anda, log masuk untuk mengalih keluarnya dan tukar kata laluan anda.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Teruskan sebagai { $identifier }?
preauth-text = { $service } membuka halaman untuk anda dalam keadaan log masuk dengan CONNECT ID anda. Teruskan hanya jika anda sendiri yang membukanya daripada aplikasi.
error-link-used = Pautan ini telah tamat tempoh atau telah digunakan. Kembali ke aplikasi dan cuba lagi.

## The start page (/): data-step="home"
home-text = Perkhidmatan menghantar anda ke sini untuk log masuk dengan CONNECT ID anda. Anda juga boleh mengurus akaun anda di sini.
home-demo = Cuba perkhidmatan demo
home-discovery = OpenID Connect Discovery (untuk pembangun)
