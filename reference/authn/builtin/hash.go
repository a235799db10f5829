package builtin

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/authspec/authspec/reference/config/schema"
)

// HashAlgorithm is password_hash_algorithm: how stored passwords are hashed
// (emqx_authn_password_hashing / emqx_passwd).
type HashAlgorithm struct {
	// Name is plain, md5, sha, sha256, sha512 or pbkdf2.
	Name string
	// SaltPosition is prefix (default), suffix or disable (simple hashes).
	SaltPosition string
	// MacFun, Iterations and DKLength configure pbkdf2.
	MacFun     string
	Iterations int
	DKLength   int
}

// DefaultHashAlgorithm is EMQX's default for the built-in database.
var DefaultHashAlgorithm = HashAlgorithm{Name: "sha256", SaltPosition: "prefix"}

var hashFuncs = map[string]func() hash.Hash{
	"md5":    md5.New,
	"sha":    sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
}

func parseHashAlgorithm(o *schema.Object) (HashAlgorithm, error) {
	sub, err := o.Object("password_hash_algorithm")
	if err != nil || sub == nil {
		return DefaultHashAlgorithm, err
	}
	var h HashAlgorithm
	if h.Name, err = sub.RequiredString("name"); err != nil {
		return h, err
	}
	switch h.Name {
	case "plain", "md5", "sha", "sha256", "sha512":
		if h.SaltPosition, err = sub.Enum("salt_position", "prefix", "prefix", "suffix", "disable"); err != nil {
			return h, err
		}
	case "pbkdf2":
		if h.MacFun, err = sub.Enum("mac_fun", "", "md5", "sha", "sha224", "sha256", "sha384", "sha512"); err != nil {
			return h, err
		}
		it, err := sub.PositiveInt("iterations", 0)
		if err != nil {
			return h, err
		}
		h.Iterations = int(it)
		if sub.Has("dk_length") {
			dk, err := sub.PositiveInt("dk_length", 0)
			if err != nil {
				return h, err
			}
			h.DKLength = int(dk)
		}
	case "bcrypt":
		return h, schema.Errorf(sub.Field("name"), "bcrypt is not supported by the reference (use plain, md5, sha, sha256, sha512 or pbkdf2)")
	default:
		return h, schema.Errorf(sub.Field("name"), "must be one of plain, md5, sha, sha256, sha512, pbkdf2, got %q", h.Name)
	}
	return h, sub.Done()
}

// newSalt is gen_salt: none for plain or salt_position disable, else 16
// random bytes as 32 hex characters.
func (h HashAlgorithm) newSalt() string {
	if h.Name == "plain" || (h.Name != "pbkdf2" && h.SaltPosition == "disable") {
		return ""
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hash is emqx_passwd:hash: lowercase hex of the digest (plain: the
// password itself).
func (h HashAlgorithm) hash(password, salt string) string {
	if h.Name == "pbkdf2" {
		dk := h.DKLength
		if dk == 0 {
			dk = hashFuncs[h.MacFun]().Size()
		}
		key, err := pbkdf2.Key(hashFuncs[h.MacFun], password, []byte(salt), h.Iterations, dk)
		if err != nil {
			return ""
		}
		return hex.EncodeToString(key)
	}
	data := password
	switch h.SaltPosition {
	case "prefix":
		data = salt + password
	case "suffix":
		data = password + salt
	}
	if h.Name == "plain" {
		return data
	}
	d := hashFuncs[h.Name]()
	d.Write([]byte(data))
	return hex.EncodeToString(d.Sum(nil))
}

// check is emqx_passwd:check_pass: constant-time, case-insensitive for hex
// digests, case-sensitive for plain passwords.
func (h HashAlgorithm) check(stored, salt, password string) bool {
	got := h.hash(password, salt)
	if h.Name != "plain" {
		got, stored = strings.ToLower(got), strings.ToLower(stored)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(stored)) == 1
}
