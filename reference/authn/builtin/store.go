package builtin

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// User is what the user API shows of a user: never the password.
type User struct {
	UserID      string `json:"user_id"`
	IsSuperuser bool   `json:"is_superuser"`
}

// NewUser is a user to add (EMQX: POST /authentication/{id}/users).
type NewUser struct {
	UserID      string `json:"user_id"`
	Password    string `json:"password"`
	IsSuperuser bool   `json:"is_superuser"`
}

// UserUpdate changes a user (EMQX: PUT .../users/{user_id}); nil fields are
// left as they are.
type UserUpdate struct {
	Password    *string `json:"password,omitempty"`
	IsSuperuser *bool   `json:"is_superuser,omitempty"`
}

// ErrUserExists and ErrUserNotFound let the management API answer 409 and
// 404.
var (
	ErrUserExists   = errors.New("user already exists")
	ErrUserNotFound = errors.New("user not found")
	ErrBadUser      = errors.New("invalid user")
)

type record struct {
	hash        string
	salt        string
	isSuperuser bool
}

// Store holds the users of one built-in database authenticator. It is safe
// for concurrent use. It outlives configuration updates of its
// authenticator, as EMQX's user group does; passwords are hashed with the
// algorithm in force when they are set, and checked with the one in force
// when a client connects, as in EMQX.
type Store struct {
	mu    sync.RWMutex
	users map[string]record
	alg   HashAlgorithm
}

// NewStore returns an empty store hashing with EMQX's default (sha256,
// salt prefix) until an authenticator sets its own algorithm.
func NewStore() *Store {
	return &Store{users: map[string]record{}, alg: DefaultHashAlgorithm}
}

// SetHashAlgorithm sets how passwords added from now on are hashed: the
// algorithm of the store's authenticator once it is in force.
func (s *Store) SetHashAlgorithm(h HashAlgorithm) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alg = h
}

// Add adds a user.
func (s *Store) Add(u NewUser) (User, error) {
	if u.UserID == "" {
		return User{}, fmt.Errorf("%w: user_id must not be empty", ErrBadUser)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.UserID]; ok {
		return User{}, fmt.Errorf("%w: %q", ErrUserExists, u.UserID)
	}
	salt := s.alg.newSalt()
	s.users[u.UserID] = record{hash: s.alg.hash(u.Password, salt), salt: salt, isSuperuser: u.IsSuperuser}
	return User{UserID: u.UserID, IsSuperuser: u.IsSuperuser}, nil
}

// Update changes a user's password and/or superuser flag.
func (s *Store) Update(userID string, up UserUpdate) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[userID]
	if !ok {
		return User{}, fmt.Errorf("%w: %q", ErrUserNotFound, userID)
	}
	if up.Password != nil {
		r.salt = s.alg.newSalt()
		r.hash = s.alg.hash(*up.Password, r.salt)
	}
	if up.IsSuperuser != nil {
		r.isSuperuser = *up.IsSuperuser
	}
	s.users[userID] = r
	return User{UserID: userID, IsSuperuser: r.isSuperuser}, nil
}

// Delete removes a user.
func (s *Store) Delete(userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return fmt.Errorf("%w: %q", ErrUserNotFound, userID)
	}
	delete(s.users, userID)
	return nil
}

// Get returns one user.
func (s *Store) Get(userID string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.users[userID]
	return User{UserID: userID, IsSuperuser: r.isSuperuser}, ok
}

// List returns every user, sorted by user_id.
func (s *Store) List() []User {
	s.mu.RLock()
	out := make([]User, 0, len(s.users))
	for id, r := range s.users {
		out = append(out, User{UserID: id, IsSuperuser: r.isSuperuser})
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out
}

// Clear removes every user (the authenticator was deleted).
func (s *Store) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = map[string]record{}
}

// check looks userID up and checks password with alg, the algorithm of
// the authenticator asking.
func (s *Store) check(alg HashAlgorithm, userID, password string) (found, ok, superuser bool) {
	s.mu.RLock()
	r, found := s.users[userID]
	s.mu.RUnlock()
	if !found {
		return false, false, false
	}
	return true, alg.check(r.hash, r.salt, password), r.isSuperuser
}
