## connectid sign-in pages, messages and assets — Serbian, Latin script, ekavian (sr-Latn).
## Terminology: "Prijavite se" / "Odjavite se" / "Prijavljeni ste kao"; never "korisničko ime".
## Body text addresses the user formally (vi); buttons use the short form (Nastavi, Dozvoli).

brand = CONNECT ID
language = Jezik

## The first screen (data-step="identifier")
signin-title = Prijavite se
identifier-label-phone = Broj telefona
identifier-label-email = Imejl
identifier-label-phone-or-email = Broj telefona ili imejl
identifier-label-email-or-phone = Imejl ili broj telefona
identifier-placeholder-email = ime@example.com
identifier-locked = Ova usluga traži da se prijavite ovim brojem telefona ili imejlom.
remember = Ostanite prijavljeni
button-next = Dalje

## Password (data-step="password")
password-title = Unesite lozinku
signing-in-as = Prijavljujete se kao { $identifier }
password-label = Lozinka
button-signin = Prijavi se
not-you = Niste vi? Upotrebite drugi broj telefona ili imejl
forgot-password = Zaboravili ste lozinku?

## One-time code (data-step="code")
code-title = Unesite kod
code-sent = Poslali smo šestocifreni kod na { $identifier }.
code-label = Kod
button-continue = Nastavi
code-resend = Pošalji novi kod

## Choose a password (data-step="set-password")
set-password-title = Izaberite lozinku
set-password-for = Za { $identifier }.
password-rules = Najmanje { $min ->
    [one] { $min } znak
    [few] { $min } znaka
   *[other] { $min } znakova
  }. Izbegavajte uobičajene lozinke.
new-password-label = Nova lozinka
strength-label = Jačina lozinke
strength-0 = Veoma slaba
strength-1 = Slaba
strength-2 = Osrednja
strength-3 = Dobra
strength-4 = Jaka

## Add an email (data-step="add-email")
add-email-title = Dodajte imejl adresu
add-email-text = { $client } traži imejl adresu za vaš nalog. Poslaćemo vam kod da bismo je proverili.
email-label = Imejl

## Consent (data-step="consent")
consent-title = Želite li da { $client } koristi vaš nalog?
signed-in-as = Prijavljeni ste kao { $identifier }
scope-openid = Da zna da ste to vi
scope-profile = Vaše ime i jezik
scope-email = Vaša imejl adresa
scope-phone = Vaš broj telefona
scope-offline_access = Pristup i dok ne koristite uslugu
scope-device_sso = Da ostanete prijavljeni u drugim aplikacijama istog izdavača na ovom uređaju
button-allow = Dozvoli
button-deny = Odbij

## Signing out
logout-title = Želite li da se odjavite sa CONNECT ID-a?
button-signout = Odjavi se
signed-out-title = Odjavljeni ste
signed-out-text = Odjavili ste se sa CONNECT ID-a na ovom uređaju.
signed-out-everywhere-title = Odjavljeni ste sa svih uređaja
signed-out-everywhere-text = Sve sesije vašeg CONNECT ID naloga su prekinute: na ovom uređaju, na vašim ostalim uređajima i u svim uslugama.
signed-out-signin-again = Prijavite se ponovo

## Error pages (data-step="error")
error-title = Došlo je do greške
error-details-label = Detalji za programere usluge:
error-reference = Referenca: { $id }
error-bad-request = Usluga je poslala zahtev za prijavu koji CONNECT ID ne može da prihvati. Vratite se na uslugu i pokušajte ponovo.
error-unknown-client = Ova usluga nije registrovana na CONNECT ID-u.
error-signin-expired = Vreme za prijavu je isteklo. Vratite se na uslugu i počnite iz početka.
error-other-browser = Ova prijava je započeta u drugom pregledaču. Vratite se na uslugu i počnite iz početka.
error-form-expired = Vreme za popunjavanje obrasca je isteklo. Vratite se i pokušajte ponovo.
error-server = Došlo je do greške kod nas. Pokušajte ponovo.
error-answer-not-sent = Slanje odgovora usluzi nije uspelo.
error-not-found = Ova stranica ne postoji.
error-account-locked = Vaš CONNECT ID nalog je zaključan. Obratite se podršci usluge da ga otključa.

## Messages shown above a form (role="alert")
err-identifier-empty = Unesite broj telefona ili imejl adresu.
err-identifier-phone = Ovo nije važeći broj telefona.
err-identifier-email = Ovo nije važeća imejl adresa.
err-enter-phone = Unesite broj telefona.
err-enter-email = Unesite imejl adresu.
err-locked = Upotrebite broj telefona ili imejl naloga kojim ste prijavljeni ili izaberite „Niste vi?“.
err-hint-locked = Upotrebite broj telefona ili imejl koji je ova usluga tražila.
err-no-sms = Ova usluga ne šalje kodove SMS-om. Prijavite se imejlom i lozinkom.
err-sms-refused = Ne možemo poslati kod SMS-om na ovaj broj.
err-sms-refused-email = Ne možemo poslati kod SMS-om na ovaj broj. Prijavite se imejl adresom.
err-sms-challenge = Pre nego što pošaljemo kod, vaš pregledač proverava da ste osoba. To traje trenutak.
challenge-working = Provera…
challenge-noscript = Za ovu proveru potreban je JavaScript. Bez njega se prijavite adresom e-pošte ili lozinkom.
err-sms-budget = Danas se više ne mogu slati kodovi SMS-om. Pokušajte ponovo sutra.
err-resend-wait = Kod je upravo poslat. Sačekajte { $seconds ->
    [one] { $seconds } sekundu
    [few] { $seconds } sekunde
   *[other] { $seconds } sekundi
  } pre nego što zatražite novi.
err-too-many-sends = Na ovaj broj ili adresu poslato je previše kodova. Pokušajte ponovo za sat vremena.
err-send-failed = Slanje koda nije uspelo. Pokušajte ponovo za nekoliko trenutaka.
err-unavailable = To trenutno nije moguće. Pokušajte ponovo za nekoliko minuta.
err-too-many-passwords = Previše pogrešnih lozinki. Sačekajte { $minutes ->
    [one] { $minutes } minut
    [few] { $minutes } minuta
   *[other] { $minutes } minuta
  } i pokušajte ponovo.
err-too-many-attempts = Previše pokušaja. Sačekajte { $minutes ->
    [one] { $minutes } minut
    [few] { $minutes } minuta
   *[other] { $minutes } minuta
  } i pokušajte ponovo.
err-password-wrong = Lozinka nije tačna. Pokušajte ponovo.
err-code-expired = Kod je istekao. Zatražite novi.
err-code-too-many = Previše pogrešnih kodova. Zatražite novi.
err-code-wrong = Kod nije tačan. Proverite ga i pokušajte ponovo.
err-conflict = U međuvremenu je nešto promenjeno. Pokušajte ponovo.
err-password-short = Lozinka mora da ima najmanje { $min ->
    [one] { $min } znak
    [few] { $min } znaka
   *[other] { $min } znakova
  }.
err-password-long = Lozinka je predugačka (najviše 128 bajtova).
err-password-common = Ova lozinka je previše uobičajena. Izaberite drugu.
err-password-weak = Ovu lozinku je previše lako pogoditi. Neka bude duža ili manje predvidljiva.
err-password-identifier = Lozinka ne sme da bude vaš broj telefona ili imejl.
err-email-taken = Ova imejl adresa pripada drugom nalogu. Upotrebite drugu imejl adresu.

## SMS and email texts (the WebOTP line is added after the SMS text)
## The SMS is written without č/ć/š/ž/đ on purpose: it stays in the GSM 7-bit alphabet,
## so text + WebOTP line fit one 160-character segment (with them the limit is 70).
sms-code = Kod za CONNECT ID je { $code }. Vredi 5 minuta.
email-code-subject = Vaš CONNECT ID kod
email-code-body = Vaš CONNECT ID kod je { $code }. Ističe za 5 minuta. Ako niste pokušali da se prijavite, možete da zanemarite ovaj imejl.
password-changed-subject = Lozinka za CONNECT ID je promenjena
password-changed-body = Lozinka vašeg CONNECT ID naloga je promenjena. Ako to niste bili vi, odmah resetujte lozinku.

## The "Sign in with CONNECT ID" button
signin-button = Prijavi se pomoću CONNECT ID-a

## The flow previewer (/flow-previewer)
previewer-title = Pregled toka prijave
previewer-intro = Pogledajte svaki korak prijave onako kako će ga ljudi videti sa podešavanjima vaše usluge. Ništa se ne šalje i niko se ne prijavljuje.
previewer-client-id = ID klijenta registrovane usluge
previewer-metadata = Ili nalepite metapodatke klijenta (JSON)
previewer-step = Korak
previewer-login-hint = Broj telefona ili imejl koji se unapred popunjava (login_hint)
previewer-locked = Prijava je moguća samo ovim brojem telefona ili imejlom (login_hint_locked)
previewer-show = Prikaži pregled
previewer-banner = Pregled koraka „{ $step }“. Obrasci ovde ništa ne šalju.
previewer-back = Promeni podešavanja
previewer-unknown-client = Nijedna usluga nije registrovana sa ovim ID-jem klijenta.
previewer-need-client = Unesite ID klijenta ili nalepite metapodatke klijenta.
previewer-invalid-metadata = Ovi metapodaci klijenta nisu ispravni.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Moj nalog
account-nav = Nalog
account-phones = Brojevi telefona
account-emails = Imejl adrese
account-none = Još ih nema
account-unverified = Nije potvrđeno
account-remove = Ukloni
account-remove-label = Ukloni { $identifier }
account-add-phone = Dodajte broj telefona
account-add-email = Dodajte imejl adresu
account-add-text = Poslaćemo vam kod za potvrdu.
account-password = Lozinka
account-password-change = Promenite lozinku
account-password-set = Izaberite lozinku
account-password-none = Prijavljujete se samo pomoću kodova.
account-services = Povezane usluge
account-services-text = Usluge na koje ste se prijavili pomoću CONNECT ID-a. Ako prekinete vezu sa uslugom, bićete odjavljeni sa nje i ona će tražiti da se ponovo prijavite.
account-services-none = Nijedna usluga nije povezana sa vašim nalogom.
account-services-manage = Pogledajte svoje usluge i prekinite vezu sa njima
account-disconnect = Prekini vezu
account-disconnect-label = Prekini vezu sa uslugom { $service }
account-signout-everywhere = Odjavi se sa svih uređaja
account-signout-everywhere-text = Prekida vaše sesije na svim uređajima i u svim uslugama, uključujući i ovu.
account-delete = Izbriši nalog
account-delete-text = Vaš nalog i svi brojevi telefona i imejl adrese na njemu biće izbrisani, a vi ćete biti odjavljeni sa svih usluga. Ovo ne može da se poništi.
account-delete-confirm = Izbriši moj nalog
account-deleted-title = Vaš nalog je izbrisan
account-deleted-text = Vaš CONNECT ID nalog i svi podaci sačuvani uz njega su izbrisani.
account-back = Nazad na { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Ukloniti { $identifier }?
account-remove-text = Više nećete moći da se prijavite pomoću { $identifier }, a kodovi se na njega neće slati.
account-remove-confirm = Ukloni
account-reauth-reason = Da biste izmenili nalog, prvo potvrdite da ste to vi.
button-cancel = Otkaži
button-save = Sačuvaj
button-add = Dodaj
notice-password-changed = Lozinka je promenjena. Odjavljeni ste sa ostalih uređaja.
notice-identifier-added = { $identifier } je dodat na vaš nalog.
notice-identifier-removed = { $identifier } je uklonjen sa vašeg naloga.
notice-service-disconnected = Veza sa uslugom { $service } je prekinuta.
err-last-identifier = Ne možete da uklonite poslednji broj telefona ili imejl.
err-identifier-taken = Ovaj broj telefona ili imejl pripada drugom nalogu.
err-identifier-known = Ovaj broj telefona ili imejl je već dodat na vaš nalog.
identifier-added-subject = Na vaš CONNECT ID nalog dodat je novi broj telefona ili imejl
identifier-added-body = { $identifier } je dodat na vaš CONNECT ID nalog. Ako to niste bili vi, prijavite se, uklonite ga i promenite lozinku.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Nastaviti kao { $identifier }?
preauth-text = { $service } otvara stranicu za vas, prijavljeni ste svojim CONNECT ID nalogom. Nastavite samo ako ste je sami otvorili iz aplikacije.
error-link-used = Ovaj link je istekao ili je već iskorišćen. Vratite se u aplikaciju i pokušajte ponovo.

## The start page (/): data-step="home"
home-text = Usluge vas šalju ovde da biste se prijavili svojim CONNECT ID nalogom. Ovde možete i da upravljate svojim nalogom.
home-demo = Isprobajte demo usluge
home-discovery = OpenID Connect Discovery (za programere)
