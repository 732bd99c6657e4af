;; The quiet loops of the sweep kernel (src/optimize/sma-block.ts `ComboRun.run`, docs/optimize.md
;; "Speed"): runs of bars where the last side holds and no order works, so a bar costs only the side
;; test and the NAV figures. They are here, not in `run`, because V8's code for them in JavaScript
;; repeats a map check, length and pointer loads, overflow and bounds checks and a stack check on
;; every bar (`run` has more live values than registers); WebAssembly's loads need none of these.
;;
;; Exact, bit for bit: every number is an IEEE binary64 and each operation below is the one the
;; JavaScript loop it replaces does, in the same order (f64.sub, f64.mul, f64.add, f64.div are
;; correctly rounded and WebAssembly never fuses a multiply and an add; f64.gt and f64.lt are false
;; when either side is NaN, as JavaScript's > and < are).
;;
;; Memory (laid out by src/optimize/sweep-scan.ts, which grows it before making any view of it):
;; the figures a loop hands back at bytes 0 (the sum of the NAV steps), 8 (the peak), 16 (the lowest
;; NAV since the peak), 24 (the maximum drawdown); the block's closes and the block's averages after
;; them. Every loop takes byte bases: the value of bar k of the fast average is at $f + 8·k, of the
;; slow one at $s + 8·k, its close at $c + 8·k (i32 arithmetic wraps, so a base may be "negative":
;; the sum is the address inside the block). Each runs bars $k … $end − 1 while
;;     (fast[k] − slow[k]) · $dir > $gate
;; (the last side again, sma-block.ts says why) and returns the first bar where that fails, or $end.

(module
  (memory (export "memory") 1)

  ;; Flat (no position): every step's NAV is the same $nav (cash + 0); adds it once per bar.
  (func (export "flat")
    (param $f i32) (param $s i32) (param $k i32) (param $end i32)
    (param $dir f64) (param $gate f64) (param $sum f64) (param $nav f64)
    (result i32)
    (local $at i32)
    (block $out
      (br_if $out (i32.ge_s (local.get $k) (local.get $end)))
      (loop $bar
        (local.set $at (i32.shl (local.get $k) (i32.const 3)))
        (br_if $out (i32.eqz (f64.gt
          (f64.mul
            (f64.sub (f64.load (i32.add (local.get $f) (local.get $at)))
                     (f64.load (i32.add (local.get $s) (local.get $at))))
            (local.get $dir))
          (local.get $gate))))
        (local.set $sum (f64.add (local.get $sum) (local.get $nav)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bar (i32.lt_s (local.get $k) (local.get $end)))))
    (f64.store (i32.const 0) (local.get $sum))
    (local.get $k))

  ;; Held, in a block where no bar can make a new peak or a new low (the caller checked it from the
  ;; block's highest and lowest close): adds nav = cash + q·close per bar, nothing else.
  (func (export "heldBounded")
    (param $f i32) (param $s i32) (param $c i32) (param $k i32) (param $end i32)
    (param $dir f64) (param $gate f64) (param $sum f64) (param $cash f64) (param $q f64)
    (result i32)
    (local $at i32)
    (block $out
      (br_if $out (i32.ge_s (local.get $k) (local.get $end)))
      (loop $bar
        (local.set $at (i32.shl (local.get $k) (i32.const 3)))
        (br_if $out (i32.eqz (f64.gt
          (f64.mul
            (f64.sub (f64.load (i32.add (local.get $f) (local.get $at)))
                     (f64.load (i32.add (local.get $s) (local.get $at))))
            (local.get $dir))
          (local.get $gate))))
        (local.set $sum (f64.add (local.get $sum)
          (f64.add (local.get $cash)
                   (f64.mul (local.get $q) (f64.load (i32.add (local.get $c) (local.get $at)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bar (i32.lt_s (local.get $k) (local.get $end)))))
    (f64.store (i32.const 0) (local.get $sum))
    (local.get $k))

  ;; Held, in a block where no bar can make a new peak: adds each nav; where nav < low it is the new
  ;; low and 1 − nav/peak the drawdown there (kept when above the worst so far).
  (func (export "heldLow")
    (param $f i32) (param $s i32) (param $c i32) (param $k i32) (param $end i32)
    (param $dir f64) (param $gate f64) (param $sum f64) (param $cash f64) (param $q f64)
    (param $peak f64) (param $low f64) (param $worst f64)
    (result i32)
    (local $at i32) (local $nav f64) (local $dd f64)
    (block $out
      (br_if $out (i32.ge_s (local.get $k) (local.get $end)))
      (loop $bar
        (local.set $at (i32.shl (local.get $k) (i32.const 3)))
        (br_if $out (i32.eqz (f64.gt
          (f64.mul
            (f64.sub (f64.load (i32.add (local.get $f) (local.get $at)))
                     (f64.load (i32.add (local.get $s) (local.get $at))))
            (local.get $dir))
          (local.get $gate))))
        (local.set $nav (f64.add (local.get $cash)
          (f64.mul (local.get $q) (f64.load (i32.add (local.get $c) (local.get $at))))))
        (local.set $sum (f64.add (local.get $sum) (local.get $nav)))
        (if (f64.lt (local.get $nav) (local.get $low))
          (then
            (local.set $low (local.get $nav))
            (local.set $dd (f64.sub (f64.const 1) (f64.div (local.get $nav) (local.get $peak))))
            (if (f64.gt (local.get $dd) (local.get $worst))
              (then (local.set $worst (local.get $dd))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bar (i32.lt_s (local.get $k) (local.get $end)))))
    (f64.store (i32.const 0) (local.get $sum))
    (f64.store (i32.const 16) (local.get $low))
    (f64.store (i32.const 24) (local.get $worst))
    (local.get $k))

  ;; Held, any block: adds each nav; nav > peak makes a new peak (and low); else nav < low is a new
  ;; low with its drawdown 1 − nav/peak, as `heldLow`.
  (func (export "held")
    (param $f i32) (param $s i32) (param $c i32) (param $k i32) (param $end i32)
    (param $dir f64) (param $gate f64) (param $sum f64) (param $cash f64) (param $q f64)
    (param $peak f64) (param $low f64) (param $worst f64)
    (result i32)
    (local $at i32) (local $nav f64) (local $dd f64)
    (block $out
      (br_if $out (i32.ge_s (local.get $k) (local.get $end)))
      (loop $bar
        (local.set $at (i32.shl (local.get $k) (i32.const 3)))
        (br_if $out (i32.eqz (f64.gt
          (f64.mul
            (f64.sub (f64.load (i32.add (local.get $f) (local.get $at)))
                     (f64.load (i32.add (local.get $s) (local.get $at))))
            (local.get $dir))
          (local.get $gate))))
        (local.set $nav (f64.add (local.get $cash)
          (f64.mul (local.get $q) (f64.load (i32.add (local.get $c) (local.get $at))))))
        (local.set $sum (f64.add (local.get $sum) (local.get $nav)))
        (if (f64.gt (local.get $nav) (local.get $peak))
          (then
            (local.set $peak (local.get $nav))
            (local.set $low (local.get $nav)))
          (else
            (if (f64.lt (local.get $nav) (local.get $low))
              (then
                (local.set $low (local.get $nav))
                (local.set $dd (f64.sub (f64.const 1) (f64.div (local.get $nav) (local.get $peak))))
                (if (f64.gt (local.get $dd) (local.get $worst))
                  (then (local.set $worst (local.get $dd))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bar (i32.lt_s (local.get $k) (local.get $end)))))
    (f64.store (i32.const 0) (local.get $sum))
    (f64.store (i32.const 8) (local.get $peak))
    (f64.store (i32.const 16) (local.get $low))
    (f64.store (i32.const 24) (local.get $worst))
    (local.get $k))
)
