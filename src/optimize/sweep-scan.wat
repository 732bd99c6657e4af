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
;; NAV since the peak), 24 (the maximum drawdown), the four running sums of `means4` at 32 … 56; the
;; block's closes (with the bars before it that the averages' windows reach back to) and the
;; block's averages after them. Every loop takes byte bases: the value of bar k of the fast average is at $f + 8·k, of the
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

  ;; Four moving averages over bars $t … $end − 1 (shared-sma.ts `MeanCursor.fillFour`, between two
  ;; rebuilds of every one): for each period p with running sum S (at bytes 32, 40, 48, 56),
  ;;     S += close[t];  S −= close[t − p];  mean[t] = S / p
  ;; — `MeanCursor.fill`'s three operations in its order, two periods per f64x2 operation (each lane
  ;; an IEEE binary64 add, subtract, divide). close[t] is at $c + 8·t, close[t − p] at $c + 8·t − $lN
  ;; ($lN = 8·pN), mean N of bar t at $oN + 8·t.
  (func (export "means4")
    (param $c i32) (param $l0 i32) (param $l1 i32) (param $l2 i32) (param $l3 i32)
    (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $t i32) (param $end i32)
    (param $p0 f64) (param $p1 f64) (param $p2 f64) (param $p3 f64)
    (local $at i32) (local $a i32) (local $x v128) (local $s01 v128) (local $s23 v128)
    (local $d01 v128) (local $d23 v128) (local $m01 v128) (local $m23 v128)
    (local.set $s01 (v128.load (i32.const 32)))
    (local.set $s23 (v128.load (i32.const 48)))
    (local.set $d01 (f64x2.replace_lane 1 (f64x2.splat (local.get $p0)) (local.get $p1)))
    (local.set $d23 (f64x2.replace_lane 1 (f64x2.splat (local.get $p2)) (local.get $p3)))
    (block $out
      (br_if $out (i32.ge_s (local.get $t) (local.get $end)))
      (loop $bar
        (local.set $at (i32.shl (local.get $t) (i32.const 3)))
        (local.set $a (i32.add (local.get $c) (local.get $at)))
        (local.set $x (v128.load64_splat (local.get $a)))
        (local.set $s01 (f64x2.sub (f64x2.add (local.get $s01) (local.get $x))
          (v128.load64_lane 1 (i32.sub (local.get $a) (local.get $l1))
            (v128.load64_zero (i32.sub (local.get $a) (local.get $l0))))))
        (local.set $s23 (f64x2.sub (f64x2.add (local.get $s23) (local.get $x))
          (v128.load64_lane 1 (i32.sub (local.get $a) (local.get $l3))
            (v128.load64_zero (i32.sub (local.get $a) (local.get $l2))))))
        (local.set $m01 (f64x2.div (local.get $s01) (local.get $d01)))
        (local.set $m23 (f64x2.div (local.get $s23) (local.get $d23)))
        (v128.store64_lane 0 (i32.add (local.get $o0) (local.get $at)) (local.get $m01))
        (v128.store64_lane 1 (i32.add (local.get $o1) (local.get $at)) (local.get $m01))
        (v128.store64_lane 0 (i32.add (local.get $o2) (local.get $at)) (local.get $m23))
        (v128.store64_lane 1 (i32.add (local.get $o3) (local.get $at)) (local.get $m23))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $bar (i32.lt_s (local.get $t) (local.get $end)))))
    (v128.store (i32.const 32) (local.get $s01))
    (v128.store (i32.const 48) (local.get $s23)))
)
