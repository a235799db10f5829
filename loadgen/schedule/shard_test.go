package schedule

import (
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	good := map[string]Shard{"0/1": {0, 1}, "1/2": {1, 2}, " 3/4 ": {3, 4}}
	for in, want := range good {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"3/2": "between 0 and 1", "2/2": "between 0 and 1", "-1/2": "between 0 and 1",
		"0/0": "at least 1", "1": "INDEX/COUNT", "a/b": "integers", "": "INDEX/COUNT",
	}
	for in, want := range bad {
		_, err := ParseShard(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseShard(%q) error = %v; want one mentioning %q", in, err, want)
		}
	}
}

// The shards' arrivals together are the unsplit run's, each exactly once.
func TestShardArrivalsPartitionTheRun(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		for _, total := range []int64{0, 1, 5, 100, 101} {
			seen := make([]int, total)
			var sum int64
			for i := range n {
				s := Shard{i, n}
				share := s.Share(total)
				sum += share
				for m := range share {
					j := s.Global(m)
					if j >= total {
						t.Fatalf("n=%d total=%d shard %d: local %d maps to %d, beyond the run", n, total, i, m, j)
					}
					seen[j]++
				}
			}
			if sum != total {
				t.Errorf("n=%d total=%d: shares add up to %d", n, total, sum)
			}
			for j, c := range seen {
				if c != 1 {
					t.Errorf("n=%d total=%d: arrival %d taken %d times", n, total, j, c)
				}
			}
		}
	}
}

func TestShardRateAndConcurrency(t *testing.T) {
	var rate float64
	conc := 0
	for i := range 3 {
		s := Shard{i, 3}
		rate += s.Rate(1000)
		conc += s.Concurrency(10)
	}
	if rate < 999.999999 || rate > 1000.000001 || conc != 10 {
		t.Errorf("rates add to %v, concurrency to %d; want 1000 and 10", rate, conc)
	}
	if got := (Shard{0, 3}).Concurrency(10); got != 4 {
		t.Errorf("shard 0/3 of 10 workers = %d, want 4", got)
	}
}

// Credential blocks are contiguous, in order, disjoint and cover the range.
func TestShardRangeCoversCredentials(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4} {
		for _, total := range []int{4, 10, 11, 1000} {
			next := 0
			for i := range n {
				first, k := Shard{i, n}.Range(total)
				if first != next {
					t.Fatalf("n=%d total=%d shard %d starts at %d, want %d", n, total, i, first, next)
				}
				if k < total/n || k > total/n+1 {
					t.Errorf("n=%d total=%d shard %d has %d clients", n, total, i, k)
				}
				next = first + k
			}
			if next != total {
				t.Errorf("n=%d total=%d: blocks end at %d", n, total, next)
			}
		}
	}
}
